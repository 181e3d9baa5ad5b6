/*
 * The heap: malloc, free, realloc and calloc over the RAM between .bss and
 * the main stack (__heap_start__ .. __heap_end__ in rp2040.ld), with the
 * reentrant _r entry points newlib's stdio calls, so that newlib's own
 * allocator is never linked (it costs about 600 bytes of flash and, through
 * its reentrancy structure, about 100 bytes of RAM).
 *
 * A chunk is a 4-byte header (its size in bytes, header included, a multiple
 * of 8) followed by the caller's bytes. Chunks start 4 bytes past an 8-byte
 * boundary, so every pointer handed out is 8-byte aligned (task stacks need
 * that). Free chunks form one list in address order; a free chunk keeps the
 * next one's address just after its header. malloc takes the first chunk
 * that fits, or the end of it when the rest can stay a chunk (which keeps
 * its place in the list); free puts the chunk back in place and merges it
 * with the free neighbours it touches, so the heap never holds two adjacent
 * free chunks.
 *
 * Not for interrupt handlers: like newlib-nano's, this allocator takes no
 * lock (there is one core and the loop never allocates from an ISR).
 *
 * Built with -fno-builtin (port.cmake), so that the compiler does not apply
 * what it knows of malloc and free to the allocator itself.
 */
#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* From the linker script; both 8-byte aligned. */
extern uint64_t __heap_start__[], __heap_end__[];

typedef struct chunk {
    size_t size;        /* bytes, this header included */
    struct chunk *next; /* the next free chunk (only while free) */
} chunk_t;

#define HEADER    offsetof(chunk_t, next)
#define MIN_CHUNK sizeof(chunk_t)

/* One structure, so the code reaches both through one address. */
static struct {
    chunk_t *free_list;
    size_t arena; /* bytes the heap manages; 0 until the first malloc */
} heap;

static chunk_t *chunk_of(void *p) { return (chunk_t *)((char *)p - HEADER); }

static void *fail(void) {
    errno = ENOMEM;
    return NULL;
}

void *malloc(size_t n) {
    if (!heap.arena) {
        /* One free chunk over the whole heap: the first and last 4 bytes
         * are lost to the alignment of the payloads. */
        chunk_t *all = (chunk_t *)((char *)__heap_start__ + HEADER);
        heap.arena = (size_t)((char *)__heap_end__ - (char *)__heap_start__) - 2u * HEADER;
        all->size = heap.arena;
        all->next = NULL;
        heap.free_list = all;
    }
    size_t need = (n + HEADER + 7u) & ~(size_t)7u;
    if (need < n) { /* n was close to SIZE_MAX */
        return fail();
    }
    for (chunk_t **link = &heap.free_list, *c; (c = *link) != NULL; link = &c->next) {
        if (c->size < need) {
            continue;
        }
        if (c->size - need < MIN_CHUNK) {
            *link = c->next; /* all of it */
        } else {
            c->size -= need; /* its end: the rest keeps its place in the list */
            c = (chunk_t *)((char *)c + c->size);
            c->size = need;
        }
        return (char *)c + HEADER;
    }
    return fail();
}

void free(void *p) {
    if (!p) {
        return;
    }
    chunk_t *c = chunk_of(p);
    /* The free chunks on either side of c, in address order. */
    chunk_t *prev = NULL, *next = heap.free_list;
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
        heap.free_list = c;
    } else if ((char *)prev + prev->size == (char *)c) {
        prev->size += c->size;
        prev->next = c->next;
    } else {
        prev->next = c;
    }
}

/* Shrinking (or growing within the chunk's rounding) stays in place, and a
 * tail big enough to be a chunk of its own goes back to the heap; growing
 * moves. realloc(p, 0) frees p and returns NULL, as newlib's does. */
void *realloc(void *p, size_t n) {
    if (!p) {
        return malloc(n);
    }
    if (!n) {
        free(p);
        return NULL;
    }
    chunk_t *c = chunk_of(p);
    size_t need = (n + HEADER + 7u) & ~(size_t)7u;
    if (need >= n && need <= c->size) {
        if (c->size - need >= MIN_CHUNK) {
            chunk_t *tail = (chunk_t *)((char *)c + need);
            tail->size = c->size - need;
            c->size = need;
            free((char *)tail + HEADER);
        }
        return p;
    }
    void *q = malloc(n);
    if (q) {
        memcpy(q, p, c->size - HEADER);
        free(p);
    }
    return q;
}

void *calloc(size_t count, size_t size) {
    size_t n;
    if (__builtin_mul_overflow(count, size, &n)) {
        return fail();
    }
    void *p = malloc(n);
    if (p) {
        memset(p, 0, n);
    }
    return p;
}

/* Only the fields a firmware can use to watch its heap are filled in; the
 * free bytes are counted here rather than kept up to date by every call. */
struct mallinfo mallinfo(void) {
    struct mallinfo info = {0};
    size_t free_bytes = 0;
    for (chunk_t *c = heap.free_list; c; c = c->next) {
        free_bytes += c->size;
    }
    info.arena = heap.arena;
    info.uordblks = heap.arena - free_bytes;
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
