/*
 * What the files of the RP2040 port share with each other and with its
 * runtime (not a public API).
 */
#ifndef CASYNCIO_RP2040_H
#define CASYNCIO_RP2040_H

#include <stdbool.h>

/* ALARM0's interrupt for the idle loop (port_time.c); the reset handler
 * calls it. */
void rp2040_timer_init(void);

/* The port's interrupt handlers, in the runtime's vector table (IRQ 0, 1). */
void rp2040_isr_timer_alarm0(void);
void rp2040_isr_timer_alarm1(void); /* watch.c, when linked */

/* Set by watch.c: port_poll() calls it with true before it sleeps, false after. */
extern void (*rp2040_watch_rest)(bool rest);

#endif
