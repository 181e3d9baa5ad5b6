/*
 * What the files of the pico-sdk port share.
 */
#ifndef CASYNCIO_PICO_PORT_H
#define CASYNCIO_PICO_PORT_H

#include <stdbool.h>

/* The hook port_poll() calls around a sleep (the slow-step watch rests);
 * NULL until the watch sets it. */
extern void (*pico_port_watch_rest)(bool rest);

/* Stops the tasks for good, after a fatal error was reported (a stack
 * overflow). */
_Noreturn void pico_port_halt(void);

#endif
