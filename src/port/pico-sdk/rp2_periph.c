/*
 * The RP2 drivers' port hooks (src/drivers/rp2/rp2_port.h) through the SDK,
 * so that they coexist with the program's own use of the chip: resets by
 * reset_block / unreset_block_wait, DMA channels from the SDK's claims
 * (dma_claim_unused_channel, which the program's own claims respect), and
 * the clocks the drivers divide as the program has set them
 * (clock_get_hz; asyncio_port_config.h names them).
 */
#include <errno.h>

#include "../../drivers/rp2/rp2_port.h"
#include "hardware/clocks.h"
#include "hardware/dma.h"
#include "hardware/resets.h"

void rp2_periph_reset(uint32_t mask) { reset_block(mask); }

void rp2_periph_unreset(uint32_t mask) { unreset_block_wait(mask); }

int rp2_dma_channel_claim(void) {
    int ch = dma_claim_unused_channel(false);
    return ch < 0 ? -EBUSY : ch;
}

uint32_t casyncio_pico_clk_sys_hz(void) { return clock_get_hz(clk_sys); }
uint32_t casyncio_pico_clk_peri_hz(void) { return clock_get_hz(clk_peri); }
uint32_t casyncio_pico_clk_adc_hz(void) { return clock_get_hz(clk_adc); }
