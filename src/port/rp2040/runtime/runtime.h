/*
 * What the bare-metal runtime's files share with each other and with the
 * RP2040 port (not a public API): start-up, halting, fatal reports.
 */
#ifndef CASYNCIO_RP2040_RUNTIME_H
#define CASYNCIO_RP2040_RUNTIME_H

#include <stdint.h>

/* XOSC, PLL_SYS 125 MHz, clk_peri, 1 MHz TIMER tick, resets released
 * (boot2.S: it fills the boot loader's spare bytes). The reset handler
 * calls it first. */
void rp2040_clocks_init(void);

/* Stops the CPU for good with interrupts off (the emulator runner reports a
 * CPU sleeping with PRIMASK set as "halted"). */
_Noreturn void rp2040_halt(void);
/* Writes a report (the core's report(): %s, %u, %x, %d; at most two
 * arguments) on the console from the top of the main stack, then halts. */
_Noreturn void rp2040_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* For the vector table: reports the exception number and halts. */
void rp2040_unexpected_irq(void);

#endif
