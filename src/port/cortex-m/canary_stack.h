/*
 * Task stacks guarded by a canary, for the RP2 ports' port_inline.h
 * (bare-metal RP2040, pico-sdk): no MMU for guard pages, so the stack a task
 * switches away from has its canary checked, the cheapest overflow check
 * there is. It stops the firmware at the next switch, before the damage
 * spreads much further. On the Cortex-M0+ asyncio_yield is in assembly
 * (yield_armv6m.S), which makes the same check.
 */
#ifndef CASYNCIO_CORTEXM_CANARY_STACK_H
#define CASYNCIO_CORTEXM_CANARY_STACK_H

#include <stdbool.h>
#include <stdint.h>

/* The record of a task stack, in its top bytes (port_stack.c). The stack's
 * block starts with two canary words; base[1] is the one right below the
 * usable stack, which an overflow reaches first. */
struct port_stack {
    uint32_t *base; /* the block's first word: the canary's */
    uint32_t flags; /* STACK_* of port_stack.c */
};

#define PORT_STACK_CANARY 0xdeadc0deu

/* asyncio_yield's common case in assembly, which calls the core's
 * task_yield_general() for the rest; the core checks what it assumes
 * (yield_armv6m.h). A port with more than one CPU tells it the CPUID
 * register's address (YIELD_CPUID_REG, from its build). */
#if defined(__ARM_ARCH_6M__)
#define PORT_ASM_YIELD 1
#include "yield_armv6m.h"
#endif

/* Does not return: names the task on the port's console and stops. */
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
