/*
 * Task stacks: one block each of casyncio's heap (port_heap.c), laid out from the
 * bottom as a canary word (checked at every switch away from the task,
 * port_inline.h), the usable stack, painted so that the high-water mark can
 * be read back, and the record at the top.
 *
 *     [canary][pad to 8] lo ... usable stack ... [struct port_stack]
 */
#include <stdint.h>

#include "../../core/driver.h"
#include "port_pico.h"

#define STACK_PAINT  0xcdcdcdcdu
#define CANARY_BYTES 8u /* keeps lo 8-byte aligned, as the AAPCS wants a stack */
#define STACK_OWNED  1u

/* [start, start + bytes) becomes the canary, the painted stack and the
 * record; bytes is a multiple of 8 and start 8-byte aligned. */
static port_stack_t *stack_prepare(char *start, size_t bytes, uint32_t flags) {
    uint32_t *canary = (uint32_t *)(void *)start;
    port_stack_t *s = (port_stack_t *)(void *)(start + bytes - 8u);
    canary[0] = canary[1] = PORT_STACK_CANARY;
    for (uint32_t *w = canary + 2; w < (uint32_t *)(void *)s; w++) *w = STACK_PAINT;
    s->lo = canary + 2;
    s->flags = flags;
    return s;
}

port_stack_t *port_stack_alloc(size_t size) {
    size_t bytes = ((size + 7u) & ~(size_t)7u) + CANARY_BYTES + 8u;
    char *start = PORT_MALLOC(bytes); /* 8-byte aligned */
    return start ? stack_prepare(start, bytes, STACK_OWNED) : NULL;
}

/* A caller's stack gives up its lowest and highest 8 bytes (and any
 * misalignment) to the canary and the record. */
port_stack_t *port_stack_adopt(void *mem, size_t size) {
    uintptr_t start = ((uintptr_t)mem + 7u) & ~(uintptr_t)7u;
    uintptr_t end = ((uintptr_t)mem + size) & ~(uintptr_t)7u;
    if (!mem || end <= start || end - start < 64u) return NULL;
    return stack_prepare((char *)start, end - start, 0);
}

void port_stack_free(port_stack_t *s) {
    if (s->flags & STACK_OWNED) PORT_FREE((char *)(void *)s->lo - CANARY_BYTES);
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

/* Through the core's small formatter (report), not printf: a program that
 * never prints links no printf for this. */
_Noreturn void port_stack_overflowed(const port_stack_t *s) {
    const port_stack_t *running;
    const char *name;
    core_running_task(&running, &name);
    report("\ncasyncio: task '%s' overflowed its %u-byte stack\n",
           name && running == s ? name : "?", (unsigned)port_stack_size(s));
    pico_port_halt();
}
