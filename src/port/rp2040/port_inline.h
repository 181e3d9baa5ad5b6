/*
 * The RP2040 port's part of every task switch (included by ../port.h):
 * canary-guarded task stacks (no MMU for guard pages) and the assembly
 * yield, as on pico-sdk, and the loop's port state.
 */
#ifndef CASYNCIO_PORT_INLINE_H
#define CASYNCIO_PORT_INLINE_H

#include <stdbool.h>
#include <stdint.h>

/* Task stacks with a canary, and the assembly yield. */
#include "../cortex-m/canary_stack.h"

/* One thread of execution (interrupt handlers run no loop): the core's
 * per-thread state is plain static storage, free of TLS machinery. */
#define PORT_THREAD_LOCAL

/* ARMv6-M has no exclusive loads and stores: masking interrupts is the only
 * atomicity there is on one core. */
static inline uint32_t port_atomic_swap(volatile uint32_t *p, uint32_t v) {
    uint32_t primask, old;
    __asm volatile("mrs %0, primask\n"
                   "cpsid i"
                   : "=r"(primask)::"memory");
    old = *p;
    *p = v;
    __asm volatile("msr primask, %0" ::"r"(primask) : "memory");
    return old;
}

/* The loop's port state (port_time.c), here so that an interrupt handler's
 * hand-over reads `quiet` inline (port_poll_quiet, ../port.h). */
struct port_loop {
    union {
        struct {
            volatile uint16_t wake_pending;
            /* set while port_poll() waits: the loop touches none of its
             * own state until it has cleared this */
            volatile uint16_t quiet;
        };
        volatile uint32_t wake_and_quiet; /* both cleared in one store as the wait ends */
    };
};

#define PORT_POLL_QUIET 1
static inline bool port_poll_quiet(struct port_loop *p) { return p->quiet != 0; }

#endif
