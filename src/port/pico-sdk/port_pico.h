/*
 * What the files of the pico-sdk port share.
 */
#ifndef CASYNCIO_PICO_PORT_H
#define CASYNCIO_PICO_PORT_H

#include <stdbool.h>

/* Hooks port_poll() calls: after every poll (drivers that wake tasks from
 * what their interrupt handlers recorded), and around a sleep (the
 * slow-step watch rests). NULL until a driver or the watch sets them. */
extern void (*pico_port_after_poll)(void);
extern void (*pico_port_watch_rest)(bool rest);

/* Wakes the loop running on `core` (0 or 1): from an interrupt handler,
 * thread code or the other core. */
void pico_port_wake_core(unsigned core);

/* Writes the message to the console and stops the program (a stack
 * overflow, a fatal error). */
_Noreturn void pico_port_fatal(const char *msg);

#endif
