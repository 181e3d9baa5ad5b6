/*
 * The AN505 port's part of every task switch (included by ../port.h).
 *
 * ARMv8-M gives each stack pointer a limit register: a push, a stack
 * adjustment or an exception entry that would take MSP below MSPLIM faults
 * (UsageFault, STKOF) before anything is written there. Tasks run on MSP
 * (a switch moves sp, arch/armv8m.S), so the port points MSPLIM at the
 * bottom of the running task's stack: an overflow stops the firmware at the
 * very instruction that overflows, with a line naming the task (startup.c),
 * where a canary would only be found at the next switch, after the damage.
 *
 * Around a switch the limit must suit both stacks: begin lowers it to the
 * lower of the two bottoms (sp is still on the stack being left), end raises
 * it to the bottom of the stack entered. What begin stores in *save is the
 * leaving stack's own bottom, which its end reads back when it is resumed;
 * a task's first entry (save NULL) asks the core for its stack.
 */
#ifndef CASYNCIO_PORT_INLINE_H
#define CASYNCIO_PORT_INLINE_H

#include <stdbool.h>
#include <stdint.h>

/* The record of a task stack, in its top bytes (../cortex-m/port_stack.c).
 * No canary here: the block's first word is the lowest usable one. */
struct port_stack {
    uint32_t *base; /* the block's first word, 8-byte aligned */
    uint32_t flags; /* STACK_* of ../cortex-m/port_stack.c */
};

/* One thread of execution (interrupt handlers run no loop): the core's
 * per-thread state is plain static storage. */
#define PORT_THREAD_LOCAL

/* ARMv8-M Mainline has exclusive loads and stores: this is an LDREX/STREX
 * loop, safe against interrupt handlers without masking them. */
static inline uint32_t port_atomic_swap(volatile uint32_t *p, uint32_t v) {
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

/* The main stack's bottom (the loop's own stack), from the linker script. */
extern uint32_t __stack_limit__[];

static inline __attribute__((always_inline)) void port_set_stack_limit(uintptr_t lo) {
    __asm volatile("msr msplim, %0" ::"r"(lo) : "memory");
}

static inline __attribute__((always_inline)) uintptr_t
port_stack_bottom(const struct port_stack *s) {
    return s ? (uintptr_t)s->base : (uintptr_t)__stack_limit__;
}

static inline __attribute__((always_inline)) void
port_switch_begin(void **save, struct port_stack *from, struct port_stack *to, bool ending) {
    (void)ending;
    uintptr_t from_lo = port_stack_bottom(from), to_lo = port_stack_bottom(to);
    port_set_stack_limit(from_lo < to_lo ? from_lo : to_lo);
    *save = (void *)from_lo;
}

/* core_running_task() is declared in ../port.h, before it includes this. */
static inline __attribute__((always_inline)) void port_switch_end(void *save) {
    if (!save) {
        const struct port_stack *s;
        const char *name;
        core_running_task(&s, &name);
        save = (void *)port_stack_bottom(s);
    }
    port_set_stack_limit((uintptr_t)save);
}

#endif
