/*
 * The DMA channels the drivers use, and the one interrupt line (DMA_IRQ_0)
 * they share. Channels are fixed per user, so no allocator is linked:
 * SPI0 TX/RX 0/1, SPI1 TX/RX 2/3, ADC 4. Firmware that programs the DMA
 * itself keeps to channels 5..11.
 */
#ifndef CASYNCIO_RP2_DMA_H
#define CASYNCIO_RP2_DMA_H

#include <stdint.h>

#define RP2_DMA_SPI_TX(n) (2u * (n))
#define RP2_DMA_SPI_RX(n) (2u * (n) + 1u)
#define RP2_DMA_ADC       4u

/* Called from the DMA interrupt when channel `ch` has finished its count. */
typedef void (*rp2_dma_done_fn)(unsigned ch);

/* Channel `ch` raises DMA_IRQ_0 when it finishes; `fn` is told. Installs
 * the shared handler on first use. */
void rp2_dma_on_done(unsigned ch, rp2_dma_done_fn fn);

/* Stops channel `ch` (nothing more is moved) and clears its interrupt. */
void rp2_dma_abort(unsigned ch);

#endif
