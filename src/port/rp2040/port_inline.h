/*
 * The RP2040 port's part of every task switch (included by ../port.h): the
 * Cortex-M0+ has no MMU for guard pages, so the stack being left has its
 * canary checked, the cheapest overflow check there is. It stops the
 * firmware at the next switch, before the damage spreads much further.
 */
#ifndef CASYNCIO_PORT_INLINE_H
#define CASYNCIO_PORT_INLINE_H

#include <stdbool.h>
#include <stdint.h>

/* The record of a task stack, in its top bytes (../cortex-m/port_stack.c).
 * The stack's block starts with two canary words; base[1] is the one right
 * below the usable stack, which an overflow reaches first. */
struct port_stack {
    uint32_t *base; /* the block's first word: the canary's */
    uint32_t flags; /* STACK_* of ../cortex-m/port_stack.c */
};

/* One thread of execution (interrupt handlers run no loop): the core's
 * per-thread state is plain static storage, free of TLS machinery. */
#define PORT_THREAD_LOCAL

#define PORT_STACK_CANARY 0xdeadc0deu

/* asyncio_yield is in assembly (../cortex-m/yield_armv6m.S), which calls
 * the core's task_yield_general() for all but the common case; the core
 * checks what it assumes (yield_armv6m.h). */
#define PORT_ASM_YIELD 1
#include "../cortex-m/yield_armv6m.h"

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

/* Does not return: names the task on the UART and halts (runtime/startup.c). */
_Noreturn void port_stack_overflowed(const struct port_stack *s);

static inline __attribute__((always_inline)) void
port_switch_begin(void **save, struct port_stack *from, struct port_stack *to, bool ending) {
    (void)save;
    (void)to;
    (void)ending;
    if (from && from->base[1] != PORT_STACK_CANARY) port_stack_overflowed(from);
}

static inline __attribute__((always_inline)) void port_switch_end(void *save) { (void)save; }

#endif
