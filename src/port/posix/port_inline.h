/*
 * The POSIX port's part of every task switch (included by ../port.h).
 *
 * In a plain build a switch costs the port one test: whether the stack being
 * left has a canary (stacks without a guard page) and, if so, whether it
 * still holds. AddressSanitizer must also be told that the stack changes,
 * and valgrind learns each stack's bounds when it is made (stack.c).
 */
#ifndef CASYNCIO_PORT_INLINE_H
#define CASYNCIO_PORT_INLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The record of a task stack, in its top bytes (stack.c). */
struct port_stack {
    char *lo;             /* lowest usable address */
    size_t size;          /* bytes from lo to the end of the memory, this record included */
    uint32_t flags;       /* STACK_* of stack.c */
    unsigned valgrind_id; /* 0 when not registered */
};

#define PORT_STACK_CANARY     ((uintptr_t)0x5AFEC0DE5AFEC0DEull)
#define PORT_STACK_HAS_CANARY 1u /* no guard page: a canary word at lo */

static inline uint32_t port_atomic_swap(volatile uint32_t *p, uint32_t v) {
    return __atomic_exchange_n(p, v, __ATOMIC_ACQ_REL);
}

/* Does not return: names the task and aborts (stack.c). */
_Noreturn void port_stack_overflowed(const struct port_stack *s);

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CASYNCIO_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CASYNCIO_ASAN 1
#endif

#ifdef CASYNCIO_ASAN
void port_asan_switch_begin(void **save, const struct port_stack *to, bool ending);
void port_asan_switch_end(void *save);
#endif

static inline __attribute__((always_inline)) void
port_switch_begin(void **save, struct port_stack *from, struct port_stack *to, bool ending) {
    if (from && (from->flags & PORT_STACK_HAS_CANARY) &&
        *(volatile uintptr_t *)(void *)from->lo != PORT_STACK_CANARY)
        port_stack_overflowed(from);
#ifdef CASYNCIO_ASAN
    port_asan_switch_begin(save, to, ending);
#else
    (void)save;
    (void)to;
    (void)ending;
#endif
}

static inline __attribute__((always_inline)) void port_switch_end(void *save) {
#ifdef CASYNCIO_ASAN
    port_asan_switch_end(save);
#else
    (void)save;
#endif
}

#endif
