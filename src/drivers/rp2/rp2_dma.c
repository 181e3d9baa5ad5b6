/*
 * DMA_IRQ_0, shared by the drivers' channels: the handler acknowledges each
 * finished channel and tells its driver.
 */
#include "rp2_dma.h"

#include <errno.h>
#include <stdbool.h>

#include "irq.h"
#include "rp2_periph_regs.h"
#include "rp2_port.h"

static rp2_dma_done_fn done_fn[RP2_DMA_CHANNELS];

static void dma_irq(void) {
    uint32_t finished = RP2_REG(RP2_DMA_INTS0);
    RP2_REG(RP2_DMA_INTS0) = finished;
    for (unsigned ch = 0; finished; ch++, finished >>= 1)
        if ((finished & 1u) && done_fn[ch]) done_fn[ch](ch);
}

void rp2_dma_on_done(unsigned ch, rp2_dma_done_fn fn) {
    static bool installed;
    if (!installed) {
        rp2_periph_unreset(RP2_RESET_DMA);
        rp2_irq_set_handler(RP2_IRQ_DMA0, dma_irq);
        rp2_irq_enable(RP2_IRQ_DMA0);
        installed = true;
    }
    done_fn[ch] = fn;
    RP2_SET(RP2_DMA_INTE0) = 1u << ch;
}

void rp2_dma_abort(unsigned ch) {
    RP2_REG(DMA_CTRL(ch)) = 0; /* disabled: no new transfer starts */
    RP2_REG(RP2_DMA_CHAN_ABORT) = 1u << ch;
    while (RP2_REG(DMA_CTRL(ch)) & RP2_DMA_CTRL_BUSY) { /* the transfers in flight land */
    }
    RP2_REG(RP2_DMA_INTS0) = 1u << ch;
}

int rp2_dma_channel(uint8_t *slot) {
    if (!*slot) {
        int ch = rp2_dma_channel_claim();
        if (ch < 0 || ch >= (int)RP2_DMA_CHANNELS) return -EBUSY;
        *slot = (uint8_t)(ch + 1);
    }
    return *slot - 1;
}
