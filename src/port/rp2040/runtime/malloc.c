/*
 * The heap: malloc, free, realloc and calloc over the RAM between .bss and
 * the main stack (__heap_start__ .. __heap_end__ in rp2040.ld), with the
 * reentrant _r entry points newlib's stdio calls, so that newlib's own
 * allocator is never linked (it costs about 600 bytes of flash and, through
 * its reentrancy structure, about 100 bytes of RAM). The allocator itself
 * is the first-fit heap of src/port/cortex-m/heap.c, which the pico-sdk
 * port runs too.
 *
 * Not for interrupt handlers: like newlib-nano's, this allocator takes no
 * lock (there is one core and the loop never allocates from an ISR).
 *
 * Built with -fno-builtin (runtime.cmake), so that the compiler does not
 * apply what it knows of malloc and free to the allocator itself.
 */
#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../cortex-m/heap.h"

/* From the linker script; both 8-byte aligned. */
extern uint64_t __heap_start__[], __heap_end__[];

/* Before any other constructor (which might allocate) and main. */
__attribute__((constructor(101))) static void heap_start(void) {
    casyncio_heap_add(__heap_start__, (size_t)((char *)__heap_end__ - (char *)__heap_start__));
}

static void *or_enomem(void *p) {
    if (!p) errno = ENOMEM;
    return p;
}

void *malloc(size_t n) { return or_enomem(casyncio_heap_alloc(n)); }

void free(void *p) { casyncio_heap_free(p); }

/* realloc(p, 0) frees p and returns NULL, as newlib's does. */
void *realloc(void *p, size_t n) {
    void *q = casyncio_heap_realloc(p, n);
    return q || !n ? q : or_enomem(q);
}

void *calloc(size_t count, size_t size) {
    size_t n;
    if (__builtin_mul_overflow(count, size, &n)) return or_enomem(NULL);
    void *p = malloc(n);
    if (p) memset(p, 0, n);
    return p;
}

/* Only the fields a firmware can use to watch its heap are filled in; the
 * free bytes are counted here rather than kept up to date by every call. */
struct mallinfo mallinfo(void) {
    struct mallinfo info = {0};
    size_t arena = (size_t)((char *)__heap_end__ - (char *)__heap_start__) - 8u;
    size_t free_bytes = casyncio_heap_free_bytes();
    info.arena = arena;
    info.uordblks = arena - free_bytes;
    info.fordblks = free_bytes;
    return info;
}

/* newlib's stdio allocates through these (its buffers, asprintf, ...). */
void *_malloc_r(struct _reent *r, size_t n) {
    (void)r;
    return malloc(n);
}

void _free_r(struct _reent *r, void *p) {
    (void)r;
    free(p);
}

void *_realloc_r(struct _reent *r, void *p, size_t n) {
    (void)r;
    return realloc(p, n);
}

void *_calloc_r(struct _reent *r, size_t count, size_t size) {
    (void)r;
    return calloc(count, size);
}
