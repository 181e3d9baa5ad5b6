/*
 * The pico-sdk port's part of every task switch (included by ../port.h):
 * as on the bare-metal RP2040, a canary word below each task stack is
 * checked when a task switches out (no MMU for guard pages).
 *
 * No pico-sdk header here: src/core includes this file and is built with
 * -Wconversion, which the SDK's inline functions do not all pass.
 */
#ifndef CASYNCIO_PORT_INLINE_H
#define CASYNCIO_PORT_INLINE_H

#include <stdbool.h>
#include <stdint.h>

#include "asyncio_port_config.h"

/* The record of a task stack, in its top bytes (../cortex-m/port_stack.c).
 * The stack's block starts with two canary words; base[1] is the one right
 * below the usable stack, which an overflow reaches first. */
struct port_stack {
    uint32_t *base; /* the block's first word: the canary's */
    uint32_t flags; /* STACK_* of ../cortex-m/port_stack.c */
};

#define PORT_STACK_CANARY 0xdeadc0deu

/* On the RP2040 asyncio_yield is in assembly (../cortex-m/yield_armv6m.S,
 * told the CPUID register's address by port.cmake), which calls the core's
 * task_yield_general() for all but the common case; the core checks what
 * it assumes (yield_armv6m.h). */
#if defined(__ARM_ARCH_6M__)
#define PORT_ASM_YIELD 1
#include "../cortex-m/yield_armv6m.h"
#endif

/* Both cores may run a loop of their own (../port.h). The core's number is
 * SIO's CPUID register, at the base of SIO on the RP2040 and the RP2350. */
#define PORT_CPUS 2u
static inline unsigned port_cpu(void) { return *(volatile const uint32_t *)0xd0000000u; }

/* No threads: the core's per-CPU state is plain static storage. */
#define PORT_THREAD_LOCAL

/* Atomically replaces *p with v and returns the old value, against
 * interrupt handlers and the other core. The Cortex-M33 (RP2350) has
 * exclusive loads and stores; the Cortex-M0+ (RP2040) has none, so there a
 * hardware spin lock with interrupts masked does it (port_sys.c). */
#if defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__)
static inline uint32_t port_atomic_swap(volatile uint32_t *p, uint32_t v) {
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}
#else
uint32_t pico_port_atomic_swap(volatile uint32_t *p, uint32_t v);
static inline uint32_t port_atomic_swap(volatile uint32_t *p, uint32_t v) {
    return pico_port_atomic_swap(p, v);
}
#endif

/* Does not return: names the task on the console and stops (port_sys.c). */
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
