/*
 * What the bare-metal runtime's files share with each other and with the
 * RP2040 port (not a public API). The start-up, halt and fatal reports it
 * shares with the other Cortex-M port are ../../cortex-m/cortexm.h's.
 */
#ifndef CASYNCIO_RP2040_RUNTIME_H
#define CASYNCIO_RP2040_RUNTIME_H

#include <stdint.h>

/* XOSC, PLL_SYS 125 MHz, clk_peri, 1 MHz TIMER tick, resets released
 * (boot2.S: it fills the boot loader's spare bytes). The board's bring-up
 * (cortexm_board_init, startup.c) calls it first. */
void rp2040_clocks_init(void);

#endif
