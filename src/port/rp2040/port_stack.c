/*
 * Task stacks: malloc'd, with a canary below the usable area that every
 * switch away from the task checks, and painted so that the high-water mark
 * can be read back. The Cortex-M0+ has no MMU for guard pages, so a canary is
 * the cheapest overflow check there is: it stops the firmware at the next
 * switch, before the damage spreads much further.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "../port.h"
#include "rp2040.h"

#define STACK_CANARY 0xdeadc0deu
#define STACK_PAINT  0xcdcdcdcdu
/* Two canary words just below `lo`, so that `lo` keeps the 8-byte alignment
 * the AAPCS wants for a stack. */
#define CANARY_BYTES 8u
#define STACK_OWNED  1u

/* The stack of the flow that is running (NULL: the loop's own stack), and
 * the task the core last named for the overflow report. */
static const port_stack_t *running_stack;
static const char *named_task;

static uint32_t *stack_canary(const port_stack_t *s) {
    return (uint32_t *)((char *)s->lo - CANARY_BYTES);
}

/* [start, start + bytes) becomes the canary, then the painted stack. */
static void stack_prepare(port_stack_t *s, char *start, size_t bytes) {
    s->lo = start + CANARY_BYTES;
    s->size = bytes - CANARY_BYTES;
    uint32_t *canary = stack_canary(s);
    canary[0] = STACK_CANARY;
    canary[1] = STACK_CANARY;
    for (uint32_t *w = s->lo, *end = (uint32_t *)(start + bytes); w < end; w++) {
        *w = STACK_PAINT;
    }
}

int port_stack_alloc(port_stack_t *s, size_t size) {
    size_t bytes = ((size + 7u) & ~(size_t)7u) + CANARY_BYTES;
    char *start = malloc(bytes); /* newlib's malloc aligns to 8 */
    if (!start) {
        return -ENOMEM;
    }
    stack_prepare(s, start, bytes);
    s->flags = STACK_OWNED;
    return 0;
}

/* A caller's stack gives up its lowest bytes (and any misalignment) to the
 * canary. */
void port_stack_adopt(port_stack_t *s, void *lo, size_t size) {
    uintptr_t start = ((uintptr_t)lo + 7u) & ~(uintptr_t)7u;
    uintptr_t end = ((uintptr_t)lo + size) & ~(uintptr_t)7u;
    stack_prepare(s, (char *)start, end - start);
    s->flags = 0;
}

void port_stack_free(port_stack_t *s) {
    if (s->flags & STACK_OWNED) {
        free(stack_canary(s));
    }
    s->lo = NULL;
    s->size = 0;
    s->flags = 0;
}

/* The stack grows down from lo + size: the lowest word that no longer holds
 * the paint marks the deepest point reached. */
size_t port_stack_used(const port_stack_t *s) {
    const uint32_t *w = s->lo, *end = (const uint32_t *)((const char *)s->lo + s->size);
    while (w < end && *w == STACK_PAINT) {
        w++;
    }
    return (size_t)((const char *)end - (const char *)w);
}

static _Noreturn void stack_overflowed(const port_stack_t *s, const char *name) {
    rp2040_uart_puts("\ncasyncio: task '");
    rp2040_uart_puts(name ? name : "?");
    rp2040_uart_puts("' overflowed its ");
    rp2040_uart_put_uint((uint32_t)s->size, 10);
    rp2040_uart_puts("-byte stack\n");
    rp2040_halt();
}

/* Every begin is followed by a switch to `to`, and the flow that resumes
 * there is the one that runs next: begin alone keeps track, end has nothing
 * to do (a new task calls it with NULL). */
/* It runs twice per task switch, so it checks only the canary word next to
 * the stack: an overflow reaches that one first. */
void port_switch_begin(void **save, const port_stack_t *to, const char *to_name, bool ending) {
    (void)ending;
    const port_stack_t *leaving = running_stack;
    const char *leaving_name = named_task;
    running_stack = to;
    named_task = to_name;
    *save = NULL;
    if (leaving && ((const uint32_t *)leaving->lo)[-1] != STACK_CANARY) {
        stack_overflowed(leaving, leaving_name);
    }
}

void port_switch_end(void *save) { (void)save; }
