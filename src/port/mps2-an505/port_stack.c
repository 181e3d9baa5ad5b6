/*
 * Task stacks: one heap block each, the usable stack painted so that the
 * high-water mark can be read back, the record at the top. No canary: the
 * stack limit register guards the bottom (port_inline.h).
 *
 *     lo ... usable stack ... [struct port_stack]
 */
#include <stdint.h>
#include <stdlib.h>

#include "../port.h"

#define STACK_PAINT 0xcdcdcdcdu
#define STACK_OWNED 1u

/* [start, start + bytes) becomes the painted stack and the record; bytes is
 * a multiple of 8 and start 8-byte aligned (MSPLIM has 8-byte granularity,
 * and the AAPCS wants an 8-byte aligned stack). */
static port_stack_t *stack_prepare(char *start, size_t bytes, uint32_t flags) {
    port_stack_t *s = (port_stack_t *)(void *)(start + bytes - 8u);
    for (uint32_t *w = (uint32_t *)(void *)start; w < (uint32_t *)(void *)s; w++) *w = STACK_PAINT;
    s->lo = (uint32_t *)(void *)start;
    s->flags = flags;
    return s;
}

port_stack_t *port_stack_alloc(size_t size) {
    size_t bytes = ((size + 7u) & ~(size_t)7u) + 8u;
    char *start = malloc(bytes); /* newlib's malloc: 8-byte aligned */
    return start ? stack_prepare(start, bytes, STACK_OWNED) : NULL;
}

/* A caller's stack gives up its highest 8 bytes (and any misalignment) to
 * the record. */
port_stack_t *port_stack_adopt(void *mem, size_t size) {
    uintptr_t start = ((uintptr_t)mem + 7u) & ~(uintptr_t)7u;
    uintptr_t end = ((uintptr_t)mem + size) & ~(uintptr_t)7u;
    if (!mem || end <= start || end - start < 64u) return NULL;
    return stack_prepare((char *)start, end - start, 0);
}

void port_stack_free(port_stack_t *s) {
    if (s->flags & STACK_OWNED) free(s->lo);
}

void *port_stack_lo(const port_stack_t *s) { return s->lo; }

size_t port_stack_size(const port_stack_t *s) {
    return (size_t)((const char *)s - (const char *)s->lo);
}

/* The stack grows down towards lo: the lowest word that no longer holds the
 * paint marks the deepest point reached. */
size_t port_stack_used(const port_stack_t *s) {
    const uint32_t *w = s->lo, *end = (const uint32_t *)(const void *)s;
    while (w < end && *w == STACK_PAINT) w++;
    return (size_t)((const char *)end - (const char *)w);
}
