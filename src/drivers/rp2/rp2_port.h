/*
 * What the I2C, SPI, ADC and PWM drivers ask of their port, so that they
 * share the chip with whatever else the program runs: resetting their
 * blocks and claiming DMA channels. Implemented once per port: by the
 * bare-metal runtime on the registers (src/port/rp2040/rp2_periph.c), by the
 * pico-sdk port through the SDK's resets and channel claims
 * (src/port/pico-sdk/rp2_periph.c). The clocks the drivers divide come from
 * the port's asyncio_port_config.h (RP2_CLK_SYS_HZ, RP2_CLK_PERI_HZ,
 * RP2_CLK_ADC_HZ; rp2_dividers.h has the bare-metal values).
 */
#ifndef CASYNCIO_RP2_PORT_H
#define CASYNCIO_RP2_PORT_H

#include <stdint.h>

#include "rp2_chip.h" /* the RESETS bits of the blocks (RP2_RESET_*) */

/* Holds the blocks in `mask` (RP2_RESET_* bits of rp2_chip.h) in reset; their registers
 * go back to their reset values. Returns at once. */
void rp2_periph_reset(uint32_t mask);

/* Takes the blocks in `mask` out of reset and returns once they are
 * running (at once for blocks already running). */
void rp2_periph_unreset(uint32_t mask);

/* A DMA channel for a driver's own use from now on (never released): its
 * number, or -EBUSY when none is free. A channel the program claimed
 * through its SDK is never handed out. */
int rp2_dma_channel_claim(void);

#endif
