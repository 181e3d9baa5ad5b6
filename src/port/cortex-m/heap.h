/*
 * A small first-fit heap over memory its owner hands it, one per program:
 * the bare-metal
 * runtime's malloc (src/port/rp2040/runtime/malloc.c) runs it over all the
 * RAM between .bss and the main stack; the pico-sdk port runs a private one
 * for casyncio's own allocations over memory taken from the SDK's sbrk
 * (src/port/pico-sdk/port_heap.c), beside the program's malloc.
 *
 * Not thread-safe: the owner serialises the calls (one core, or a lock).
 */
#ifndef CASYNCIO_CORTEX_M_HEAP_H
#define CASYNCIO_CORTEX_M_HEAP_H

#include <stddef.h>

/* Gives [start, start + bytes) to the heap for good (it starts empty):
 * start 8-byte aligned, bytes a multiple of 8, at least 16. The first and
 * last 4 bytes are lost to the alignment of the blocks; memory next to a
 * free chunk joins it. */
void casyncio_heap_add(void *start, size_t bytes);

/* n bytes, 8-byte aligned, or NULL when no free chunk is big enough.
 * The block belongs to the caller until it is freed. */
void *casyncio_heap_alloc(size_t n);

/* Gives back a block from casyncio_heap_alloc (NULL: nothing). */
void casyncio_heap_free(void *p);

/* As realloc: p (NULL: none) resized to n bytes, in place when it shrinks,
 * else moved (contents kept, p freed); NULL (p untouched) when no chunk is
 * big enough. n = 0 frees p and returns NULL. */
void *casyncio_heap_realloc(void *p, size_t n);

/* Bytes in free chunks, headers included. */
size_t casyncio_heap_free_bytes(void);

#endif
