/*
 * Task stacks: one block each of the port's heap (PORT_MALLOC), laid out
 * from the bottom as a canary (on a port whose port_inline.h defines
 * PORT_STACK_CANARY: it is checked at every switch away from the task), the
 * usable stack, painted so that the high-water mark can be read back, and
 * the record at the top.
 *
 *     base: [canary, canary] lo ... usable stack ... [struct port_stack]
 *
 * The record keeps base, so that the canary word right below lo is one load
 * at a constant offset away (yield_armv6m.S checks it at every yield).
 *
 * A port without the canary (mps2-an505: the stack limit register guards
 * the bottom) starts the usable stack at the block's first byte. lo is
 * 8-byte aligned either way, as the AAPCS wants a stack (and MSPLIM has
 * 8-byte granularity).
 */
#include <stdint.h>
#include <stdlib.h>

#include "../port.h"

#define STACK_PAINT  0xcdcdcdcdu
#define RECORD_BYTES 8u /* struct port_stack, rounded up to 8 */
#define STACK_OWNED  1u
#if defined(PORT_STACK_CANARY)
#define CANARY_BYTES 8u /* two words: keeps lo 8-byte aligned */
#else
#define CANARY_BYTES 0u
#endif

/* [start, start + bytes) becomes the canary, the painted stack and the
 * record; bytes is a multiple of 8 and start 8-byte aligned. */
static port_stack_t *stack_prepare(char *start, size_t bytes, uint32_t flags) {
    uint32_t *lo = (uint32_t *)(void *)start;
    port_stack_t *s = (port_stack_t *)(void *)(start + bytes - RECORD_BYTES);
#if defined(PORT_STACK_CANARY)
    lo[0] = lo[1] = PORT_STACK_CANARY;
    lo += CANARY_BYTES / sizeof *lo;
#endif
    /* A word at a time, and kept a loop (the compiler would make it a call
     * to memset, which the bare-metal runtime's goes a byte at a time): a
     * few KB at every task creation. */
    for (uint32_t *w = lo; w < (uint32_t *)(void *)s; w++) {
        *w = STACK_PAINT;
        __asm("" : "+l"(w));
    }
    s->base = (uint32_t *)(void *)start;
    s->flags = flags;
    return s;
}

port_stack_t *port_stack_alloc(size_t size) {
    size_t bytes = ((size + 7u) & ~(size_t)7u) + CANARY_BYTES + RECORD_BYTES;
    char *start = PORT_MALLOC(bytes); /* 8-byte aligned */
    return start ? stack_prepare(start, bytes, STACK_OWNED) : NULL;
}

/* A caller's stack gives up its highest 8 bytes to the record, its lowest 8
 * to the canary where there is one, and any misalignment. */
port_stack_t *port_stack_adopt(void *mem, size_t size) {
    uintptr_t start = ((uintptr_t)mem + 7u) & ~(uintptr_t)7u;
    uintptr_t end = ((uintptr_t)mem + size) & ~(uintptr_t)7u;
    if (!mem || end <= start || end - start < 64u) return NULL;
    return stack_prepare((char *)start, end - start, 0);
}

/* noinline: a task's end and its record's release both free its stack. */
__attribute__((noinline)) void port_stack_free(port_stack_t *s) {
    if (s->flags & STACK_OWNED) PORT_FREE(s->base);
}

/* The lowest usable address: above the canary where there is one. */
static uint32_t *stack_lo(const port_stack_t *s) { return s->base + CANARY_BYTES / sizeof *s->base; }

void *port_stack_lo(const port_stack_t *s) { return stack_lo(s); }

size_t port_stack_size(const port_stack_t *s) {
    return (size_t)((const char *)s - (const char *)stack_lo(s));
}

/* The stack grows down towards lo: the lowest word that no longer holds the
 * paint marks the deepest point reached. */
size_t port_stack_used(const port_stack_t *s) {
    const uint32_t *w = stack_lo(s), *end = (const uint32_t *)(const void *)s;
    while (w < end && *w == STACK_PAINT) w++;
    return (size_t)((const char *)end - (const char *)w);
}
