/*
 * The bare-metal Cortex-M runtime that the rp2040 and mps2-an505 ports
 * share (not a public API): start-up, fatal reports, newlib's console
 * system calls, interrupt masking and task stacks (port_stack.c serves the
 * pico-sdk port too). cortex-m.cmake adds the files.
 *
 * A port that builds it provides the four hooks below, and
 * port_console_write() of ../port.h, which the console system calls write
 * with; everything else it keeps is its own vector table, clocks, timer,
 * console device and memory map.
 */
#ifndef CASYNCIO_CORTEXM_H
#define CASYNCIO_CORTEXM_H

#include <stdint.h>

/* ---- Provided by the port ---------------------------------------------- */

/* The board's bring-up, which cortexm_start() calls once .data and .bss are
 * ready and before the constructors run: clocks, console, the timer's
 * interrupt, fault handlers. */
void cortexm_board_init(void);

/* A byte received on the console, or -1 when none is waiting; never
 * blocks (the system call _read waits with it). */
int cortexm_console_getc(void);

/* How the program ends, for _exit(): says "casyncio: exit <status>" on the
 * console (the emulator runner reads a firmware's status there), then a
 * board halts the CPU, an emulator exits with the status. */
_Noreturn void cortexm_exit(int status);

/* Stops for good once a fatal report is written: a board halts the CPU, an
 * emulator exits with status 1. Runs on the main stack's top. Only
 * cortexm_fatal()'s assembly calls it: the port defines it `used`, so that
 * link-time optimisation keeps it. */
_Noreturn void cortexm_halt(void);

/* ---- Provided by src/port/cortex-m ------------------------------------- */

/* The reset handler's C part (a port's vector table may point at it):
 * .data copied, .bss zeroed, cortexm_board_init(), constructors, then
 * exit(main()). */
_Noreturn void cortexm_start(void);

/* Writes a report (the core's report(): %s, %u, %x, %d; at most two
 * arguments) on the console from the top of the main stack, where whatever
 * ran is over (the stack in use may be the one that overflowed or faulted),
 * then calls cortexm_halt(). */
_Noreturn void cortexm_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* For the vector table's entries that no handler is meant for: reports the
 * active exception's number, fatally. */
void cortexm_unexpected_irq(void);

/* The main stack, from the port's linker script: its top (the initial SP)
 * and its bottom. */
extern uint32_t __stack_top__[], __stack_limit__[];

#endif
