/*
 * The first-fit heap of heap.h.
 *
 * A chunk is a 4-byte header (its size in bytes, header included, a multiple
 * of 8) followed by the caller's bytes. Chunks start 4 bytes past an 8-byte
 * boundary, so every pointer handed out is 8-byte aligned (task stacks need
 * that). Free chunks form one list in address order; a free chunk keeps the
 * next one's address just after its header. An allocation takes the first
 * chunk that fits, or the end of it when the rest can stay a chunk (which
 * keeps its place in the list); a freed chunk goes back in place and merges
 * with the free neighbours it touches, so the heap never holds two adjacent
 * free chunks.
 */
#include "heap.h"

#include <stdint.h>
#include <string.h>

typedef struct heap_chunk {
    size_t size;             /* bytes, this header included */
    struct heap_chunk *next; /* the next free chunk (only while free) */
} chunk_t;

/* The free chunks in address order. */
static chunk_t *free_list;

#define HEADER    offsetof(chunk_t, next)
#define MIN_CHUNK sizeof(chunk_t)

static chunk_t *chunk_of(void *p) { return (chunk_t *)((char *)p - HEADER); }

/* The chunk size that holds n caller bytes; 0 when n is close to SIZE_MAX. */
static size_t chunk_size(size_t n) {
    size_t need = (n + HEADER + 7u) & ~(size_t)7u;
    return need < n ? 0 : need;
}

/* Puts chunk c in the free list, merged with the free chunks it touches. */
static void chunk_release(chunk_t *c) {
    chunk_t *prev = NULL, *next = free_list;
    while (next && next < c) {
        prev = next;
        next = next->next;
    }
    if ((char *)c + c->size == (char *)next) {
        c->size += next->size;
        next = next->next;
    }
    c->next = next;
    if (!prev) {
        free_list = c;
    } else if ((char *)prev + prev->size == (char *)c) {
        prev->size += c->size;
        prev->next = c->next;
    } else {
        prev->next = c;
    }
}

void casyncio_heap_add(void *start, size_t bytes) {
    chunk_t *c = (chunk_t *)((char *)start + HEADER);
    c->size = bytes - 2u * HEADER;
    chunk_release(c);
}

void *casyncio_heap_alloc(size_t n) {
    size_t need = chunk_size(n);
    if (!need) return NULL;
    for (chunk_t **link = &free_list, *c; (c = *link) != NULL; link = &c->next) {
        if (c->size < need) continue;
        if (c->size - need < MIN_CHUNK) {
            *link = c->next; /* all of it */
        } else {
            c->size -= need; /* its end: the rest keeps its place in the list */
            c = (chunk_t *)((char *)c + c->size);
            c->size = need;
        }
        return (char *)c + HEADER;
    }
    return NULL;
}

void casyncio_heap_free(void *p) {
    if (p) chunk_release(chunk_of(p));
}

/* Shrinking (or growing within the chunk's rounding) stays in place, and a
 * tail big enough to be a chunk of its own goes back to the heap; growing
 * moves. */
void *casyncio_heap_realloc(void *p, size_t n) {
    if (!p) return casyncio_heap_alloc(n);
    if (!n) {
        casyncio_heap_free(p);
        return NULL;
    }
    chunk_t *c = chunk_of(p);
    size_t need = chunk_size(n);
    if (need && need <= c->size) {
        if (c->size - need >= MIN_CHUNK) {
            chunk_t *tail = (chunk_t *)((char *)c + need);
            tail->size = c->size - need;
            c->size = need;
            chunk_release(tail);
        }
        return p;
    }
    void *q = casyncio_heap_alloc(n);
    if (q) {
        memcpy(q, p, c->size - HEADER);
        casyncio_heap_free(p);
    }
    return q;
}

size_t casyncio_heap_free_bytes(void) {
    size_t bytes = 0;
    for (const chunk_t *c = free_list; c; c = c->next) bytes += c->size;
    return bytes;
}
