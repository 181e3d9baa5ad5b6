/*
 * The DMA channels the drivers use, and the one interrupt line (DMA_IRQ_0)
 * they share. Each user claims its channels from the port on first use
 * (rp2_dma_channel_claim in rp2_port.h): two per SPI bus, one for the ADC.
 */
#ifndef CASYNCIO_RP2_DMA_H
#define CASYNCIO_RP2_DMA_H

#include <stdint.h>

/* The channel kept in *slot, claimed from the port on the first call:
 * *slot holds the channel + 1, 0 until claimed (a static slot starts so).
 * Returns the channel, or -EBUSY when the port has none free. */
int rp2_dma_channel(uint8_t *slot);

/* Called from the DMA interrupt when channel `ch` has finished its count. */
typedef void (*rp2_dma_done_fn)(unsigned ch);

/* Channel `ch` raises DMA_IRQ_0 when it finishes; `fn` is told. Installs
 * the shared handler on first use. */
void rp2_dma_on_done(unsigned ch, rp2_dma_done_fn fn);

/* Stops channel `ch` (nothing more is moved) and clears its interrupt. */
void rp2_dma_abort(unsigned ch);

#endif
