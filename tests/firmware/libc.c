/*
 * The parts of the C library the port provides, on the board (check.mjs
 * libc judges the output):
 * - the allocator (malloc.c): alignment, the edge cases of malloc, calloc,
 *   realloc and free, a long random mix of them whose blocks must never
 *   overlap nor lose their contents, and every byte back in one piece at the
 *   end (free merges neighbours);
 * - errno (exit.c) is where newlib's own functions put it, and the
 *   port names errno values for the failure report (port_console.c);
 * - exit (exit.c, atexit.c): handlers in reverse order, then stdio
 *   flushed, so the last line, which has no '\n', still comes out.
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check.h"

#define HEADER 4u /* malloc.c's chunk header */

static size_t heap_used(void) { return mallinfo().uordblks; }
static size_t heap_free(void) { return mallinfo().fordblks; }
/* Sizes the compiler cannot see, so that it does not reject the absurd ones. */
static size_t opaque(size_t n) {
    volatile size_t v = n;
    return v;
}

static void test_edges(void) {
    size_t before = heap_used();
    void *zero = malloc(0), *one = malloc(1);
    CHECK(zero && one && zero != one);
    CHECK(((uintptr_t)zero & 7u) == 0 && ((uintptr_t)one & 7u) == 0);
    free(zero);
    free(one);
    free(NULL);
    CHECK(heap_used() == before);

    errno = 0;
    CHECK(malloc(opaque(SIZE_MAX)) == NULL);
    CHECK(errno == ENOMEM);
    CHECK(malloc(opaque(SIZE_MAX - 3)) == NULL);
    CHECK(malloc(heap_free()) == NULL); /* no room for the header */
    errno = 0;
    CHECK(calloc(opaque(0x10000), opaque(0x10001)) == NULL); /* the product overflows */
    CHECK(errno == ENOMEM);
    CHECK(calloc(2, opaque(SIZE_MAX / 2 + 1)) == NULL);
    CHECK(heap_used() == before);

    unsigned char *z = calloc(25, 4);
    CHECK(z != NULL);
    for (int i = 0; z && i < 100; i++) CHECK(z[i] == 0);
    free(z);

    /* realloc: NULL is malloc, 0 frees, shrinking stays in place and gives
     * the tail back, growing keeps the contents. */
    char *p = realloc(NULL, 10);
    CHECK(p != NULL);
    memcpy(p, "abcdefghi", 10);
    char *q = realloc(p, 1000);
    CHECK(q != NULL && strcmp(q, "abcdefghi") == 0);
    size_t grown = heap_used();
    char *r = realloc(q, 16);
    CHECK(r == q && strcmp(r, "abcdefghi") == 0);
    CHECK(heap_used() < grown);
    CHECK(realloc(r, 0) == NULL);
    CHECK(heap_used() == before);
}

/* The largest block the heap can give is all of its free space but one
 * header: only true when the free space is one chunk. */
static void test_all_in_one_piece(void) {
    size_t room = heap_free() - HEADER;
    void *all = malloc(room);
    CHECK(all != NULL);
    CHECK(heap_free() == 0);
    CHECK(malloc(0) == NULL);
    free(all);
}

#define SLOTS 48
#define OPS   3000

static uint32_t rng = 0x12345678u;
static uint32_t next_random(void) {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static struct {
    unsigned char *p;
    size_t n;
    unsigned char fill;
} slots[SLOTS];

static int intact(int i) {
    for (size_t k = 0; k < slots[i].n; k++)
        if (slots[i].p[k] != (unsigned char)(slots[i].fill + k)) return 0;
    return 1;
}

static void fill(int i) {
    for (size_t k = 0; k < slots[i].n; k++) slots[i].p[k] = (unsigned char)(slots[i].fill + k);
}

static int overlaps(int i) {
    for (int j = 0; j < SLOTS; j++) {
        if (j == i || !slots[j].p) continue;
        if (slots[i].p < slots[j].p + slots[j].n + (slots[j].n == 0) &&
            slots[j].p < slots[i].p + slots[i].n + (slots[i].n == 0))
            return 1;
    }
    return 0;
}

static void test_random_mix(void) {
    size_t before = heap_used();
    int bad = 0;
    for (int op = 0; op < OPS && !bad; op++) {
        int i = (int)(next_random() % SLOTS);
        uint32_t r = next_random();
        size_t n = r % 4 == 0 ? r % 4000 : r % 200;
        if (slots[i].p && !intact(i)) bad = 1;
        if (!slots[i].p) {
            slots[i].p = (r >> 8) % 3 ? malloc(n) : calloc(1, n);
            if (slots[i].p && (r >> 8) % 3 == 0)
                for (size_t k = 0; k < n; k++) bad |= slots[i].p[k] != 0;
            slots[i].n = n;
        } else if ((r >> 8) % 2) {
            unsigned char *p = realloc(slots[i].p, n);
            size_t kept = n < slots[i].n ? n : slots[i].n;
            if (p) {
                slots[i].p = p;
                slots[i].n = kept; /* what must have survived */
                if (!intact(i)) bad = 1;
                slots[i].n = n;
            } else if (n == 0) {
                slots[i].p = NULL;
            }
        } else {
            free(slots[i].p);
            slots[i].p = NULL;
        }
        if (slots[i].p) {
            if (((uintptr_t)slots[i].p & 7u) != 0 || overlaps(i)) bad = 1;
            slots[i].fill = (unsigned char)r;
            fill(i);
        }
    }
    CHECK(!bad);
    for (int i = 0; i < SLOTS; i++) {
        CHECK(!slots[i].p || intact(i));
        free(slots[i].p);
        slots[i].p = NULL;
    }
    CHECK(heap_used() == before);
}

static void test_errno_shared_with_newlib(void) {
    errno = 0;
    CHECK(strtol("99999999999", NULL, 10) == LONG_MAX);
    CHECK(errno == ERANGE);
}

const char *port_strerror(int errnum); /* src/port/port.h */

static void test_error_names(void) {
    CHECK(strcmp(port_strerror(-EPERM), "EPERM") == 0); /* the first */
    CHECK(strcmp(port_strerror(ETIMEDOUT), "ETIMEDOUT") == 0);
    CHECK(strcmp(port_strerror(-ECONNRESET), "ECONNRESET") == 0);
    CHECK(strcmp(port_strerror(-EOVERFLOW), "EOVERFLOW") == 0); /* the last */
    CHECK(strcmp(port_strerror(-200), "error 200") == 0);
    CHECK(strcmp(port_strerror(0), "error 0") == 0);
    CHECK(strcmp(port_strerror(INT_MIN), "error 2147483648") == 0);
}

static void registered_first(void) { printf("atexit: first, no newline"); }
static void registered_second(void) { printf("atexit: second\n"); }

/* They run at exit, after the summary line: check.mjs looks for them. */
static void test_atexit(void) {
    CHECK(atexit(registered_first) == 0 && atexit(registered_second) == 0);
    CHECK(atexit(NULL) != 0);
}

int main(void) {
    printf("heap test\n"); /* stdout's buffer is allocated first */
    printf("heap: %u B, %u B used\n", (unsigned)mallinfo().arena, (unsigned)heap_used());
    RUN(test_edges);
    RUN(test_all_in_one_piece);
    RUN(test_random_mix);
    RUN(test_all_in_one_piece);
    RUN(test_errno_shared_with_newlib);
    RUN(test_error_names);
    RUN(test_atexit);
    return check_summary();
}
