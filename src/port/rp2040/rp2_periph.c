/*
 * The RP2 drivers' port hooks (src/drivers/rp2/rp2_port.h) on the bare
 * registers: RESETS through its atomic aliases, and DMA channels handed out
 * in order from 0, the drivers being the only users the port knows of.
 * Firmware that programs the DMA itself keeps to channels
 * RP2040_DMA_DRIVER_CHANNELS..11.
 */
#include <errno.h>

#include "../../drivers/rp2/regs.h"
#include "../../drivers/rp2/rp2_port.h"

/* Two channels per SPI bus and one for the ADC. */
#define RP2040_DMA_DRIVER_CHANNELS 5

void rp2_periph_reset(uint32_t mask) { REG_SET(RESETS_RESET) = mask; }

void rp2_periph_unreset(uint32_t mask) {
    REG_CLR(RESETS_RESET) = mask;
    while ((REG(RESETS_RESET_DONE) & mask) != mask) {
    }
}

int rp2_dma_channel_claim(void) {
    static int next;
    if (next >= RP2040_DMA_DRIVER_CHANNELS) return -EBUSY;
    return next++;
}
