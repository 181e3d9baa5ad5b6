/*
 * Task stacks on Linux.
 *
 * A stack is an anonymous private mapping: 64 KiB of address space of which
 * only the touched pages cost memory. Below each of the first
 * GUARDED_STACK_LIMIT stacks lies a PROT_NONE guard page, so an overflow
 * faults at once and the SIGSEGV handler (on an alternate signal stack) names
 * the task. A guard splits the mapping, and the kernel allows 65,530
 * mappings per process (vm.max_map_count), so beyond that many live stacks
 * new ones come without a guard; adjacent guardless mappings merge into one,
 * which is how 100,000 sleeping tasks fit. A stack without a guard has a
 * canary word at its limit, checked each time its task switches out. (A
 * guarded stack has none: the guard faults first, and the canary would make
 * the stack's lowest page resident, doubling what a sleeping task costs.)
 *
 * Freed stacks are kept and handed out again, which turns spawning a task
 * into a few pointer moves instead of system calls, and ending one into none.
 * When the loop is about to sleep, stacks beyond STACK_CACHE_SIZE are given
 * back, a few hundred at a time (port_stack_trim): memory returns once the
 * busy moment has passed, without slowing the moment itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../port.h"
#include "sanitizers.h"

#define GUARDED_STACK_LIMIT 16384u /* 32,768 mappings at most */
#define STACK_CACHE_SIZE    16384u /* warm stacks kept while idle: ~64 MiB resident at most */
#define STACK_CANARY        ((uintptr_t)0x5AFEC0DE5AFEC0DEull)
#define PAINT_BYTE          0xA5

enum { STACK_GUARDED = 1u, STACK_ADOPTED = 2u, STACK_VALGRIND_SHIFT = 8 };

static size_t page_size;
static unsigned guarded_stacks; /* live or cached */

/* The task running now, for the overflow report. */
static const char *running_name;
static const port_stack_t *running_stack;

static void overflow_report(void) {
    char line[256];
    int n = snprintf(line, sizeof line, "casyncio: task '%s' overflowed its %zu-byte stack\n",
                     running_name ? running_name : "?", running_stack ? running_stack->size : 0);
    if (n > 0) {
        ssize_t w = write(STDERR_FILENO, line, (size_t)n < sizeof line ? (size_t)n : sizeof line);
        (void)w;
    }
}

static void on_segv(int sig, siginfo_t *info, void *uctx) {
    (void)uctx;
    const port_stack_t *s = running_stack;
    char *addr = info->si_addr;
    if (s && (s->flags & STACK_GUARDED) && addr >= (char *)s->lo - page_size &&
        addr < (char *)s->lo + 256) {
        overflow_report();
        signal(SIGABRT, SIG_DFL);
        abort();
    }
    signal(sig, SIG_DFL); /* not ours: let the fault happen again, unhandled */
}

static void install_overflow_handler(void) {
    static bool installed;
    if (installed) return;
    installed = true;
    static char alt_stack[64 * 1024];
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}

/* A guarded stack needs no canary (the guard page faults first), and writing
 * one would make its lowest page resident: a second page per task. */
static bool has_canary(const port_stack_t *s) { return !(s->flags & STACK_GUARDED); }

static void stack_prepare(port_stack_t *s) {
    sanitizer_unpoison(s->lo, s->size);
    if (has_canary(s)) *(volatile uintptr_t *)s->lo = STACK_CANARY;
    unsigned id = valgrind_stack_register(s->lo, s->size);
    s->flags = (s->flags & 0xffu) | (id << STACK_VALGRIND_SHIFT);
}

/* Freed stacks of one size. Warm ones still hold the pages their tasks
 * touched and are handed out first; cold ones (guardless stacks trimmed while
 * the loop was idle) are address space only. Guardless stacks are carved
 * from slabs of SLAB_STACKS, one mmap each. */
struct stack_bucket {
    size_t size;
    port_stack_t *warm, *cold;
    size_t n_warm, n_cold, cap_warm, cap_cold;
    char *slab_next; /* the unused part of the current slab */
    size_t slab_left;
};

#define MAX_BUCKETS 16
#define SLAB_STACKS 64
static struct stack_bucket buckets[MAX_BUCKETS];
static size_t n_buckets, warm_total;

static struct stack_bucket *bucket_for(size_t size) {
    for (size_t i = 0; i < n_buckets; i++)
        if (buckets[i].size == size) return &buckets[i];
    if (n_buckets == MAX_BUCKETS) return NULL; /* unusual sizes are not cached */
    buckets[n_buckets].size = size;
    return &buckets[n_buckets++];
}

static bool push(port_stack_t **list, size_t *n, size_t *cap, const port_stack_t *s) {
    if (*n == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 64;
        port_stack_t *grown = realloc(*list, grown_cap * sizeof *grown);
        if (!grown) return false;
        *list = grown;
        *cap = grown_cap;
    }
    (*list)[(*n)++] = *s;
    return true;
}

static int map_guarded(port_stack_t *s, size_t size) {
    char *base = mmap(NULL, size + page_size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) return -ENOMEM;
    if (mprotect(base, page_size, PROT_NONE) != 0) {
        munmap(base, size + page_size);
        return -ENOMEM;
    }
    guarded_stacks++;
    s->lo = base + page_size;
    s->size = size;
    s->flags = STACK_GUARDED;
    return 0;
}

static int carve_from_slab(struct stack_bucket *b, port_stack_t *s, size_t size) {
    if (!b || b->slab_left == 0) {
        size_t count = b ? SLAB_STACKS : 1;
        char *base = mmap(NULL, size * count, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (base == MAP_FAILED) return -ENOMEM;
        if (!b) {
            s->lo = base;
            s->size = size;
            s->flags = 0;
            return 0;
        }
        b->slab_next = base;
        b->slab_left = count;
    }
    s->lo = b->slab_next;
    s->size = size;
    s->flags = 0;
    b->slab_next += size;
    b->slab_left--;
    return 0;
}

int port_stack_alloc(port_stack_t *s, size_t size) {
    if (!page_size) page_size = (size_t)sysconf(_SC_PAGESIZE);
    install_overflow_handler();
    size = (size + page_size - 1) & ~(page_size - 1);
    if (size > ((size_t)1 << 40)) return -ENOMEM;
    struct stack_bucket *b = bucket_for(size);
    int err = 0;
    if (b && b->n_warm) {
        *s = b->warm[--b->n_warm];
        warm_total--;
    } else if (b && b->n_cold) {
        *s = b->cold[--b->n_cold];
    } else if (guarded_stacks < GUARDED_STACK_LIMIT) {
        err = map_guarded(s, size);
    } else {
        err = carve_from_slab(b, s, size);
    }
    if (err) return err;
    stack_prepare(s);
    return 0;
}

void port_stack_adopt(port_stack_t *s, void *lo, size_t size) {
    s->lo = lo;
    s->size = size;
    s->flags = STACK_ADOPTED;
    memset(lo, PAINT_BYTE, size); /* for the high-water mark */
    stack_prepare(s);
}

/* Gives a stack back to the system: a guarded one is unmapped, a guardless
 * one (part of a slab) loses its pages and waits, cold, for reuse. */
static void stack_release(struct stack_bucket *b, port_stack_t *s) {
    if (s->flags & STACK_GUARDED) {
        munmap((char *)s->lo - page_size, s->size + page_size);
        guarded_stacks--;
        return;
    }
    madvise(s->lo, s->size, MADV_DONTNEED);
    if (!b || !push(&b->cold, &b->n_cold, &b->cap_cold, s)) munmap(s->lo, s->size);
}

/* Freeing costs no system call: the stack joins its bucket's warm list, and
 * port_stack_trim() releases what is beyond STACK_CACHE_SIZE later, when the
 * loop is idle. */
void port_stack_free(port_stack_t *s) {
    valgrind_stack_deregister(s->flags >> STACK_VALGRIND_SHIFT);
    if (s->flags & STACK_ADOPTED) return;
    s->flags &= 0xffu;
    struct stack_bucket *b = bucket_for(s->size);
    if (b && push(&b->warm, &b->n_warm, &b->cap_warm, s)) {
        warm_total++;
        return;
    }
    stack_release(b, s);
}

void port_stack_trim(unsigned max_stacks) {
    for (size_t i = 0; i < n_buckets && warm_total > STACK_CACHE_SIZE && max_stacks; i++) {
        struct stack_bucket *b = &buckets[i];
        while (b->n_warm && warm_total > STACK_CACHE_SIZE && max_stacks) {
            port_stack_t s = b->warm[--b->n_warm];
            warm_total--;
            max_stacks--;
            stack_release(b, &s);
        }
    }
}

/* Mapped stacks: the pages ever touched, counted down from the top (so a
 * recycled stack also shows what its earlier task touched). Adopted stacks:
 * the bytes no longer holding the paint. */
size_t port_stack_used(const port_stack_t *s) {
    if (!s->lo || !s->size) return 0;
    if (s->flags & STACK_ADOPTED) {
        const unsigned char *p = (const unsigned char *)s->lo + sizeof(uintptr_t);
        const unsigned char *end = (const unsigned char *)s->lo + s->size;
        while (p < end && *p == PAINT_BYTE) p++;
        return (size_t)(end - p);
    }
    size_t pages = s->size / page_size;
    unsigned char *resident = malloc(pages);
    if (!resident || mincore(s->lo, s->size, resident) != 0) {
        free(resident);
        return 0;
    }
    size_t used = 0;
    while (used < pages && (resident[pages - 1 - used] & 1)) used++;
    free(resident);
    return used * page_size;
}

/* Called at every switch: a broken canary on the stack being left means its
 * task wrote below its stack (one without a guard page, or a jump over the
 * guard). The report names that task, so it runs before the new name is set. */
void port_stack_switching(const port_stack_t *to, const char *to_name) {
    const port_stack_t *s = running_stack;
    if (s && s->lo && has_canary(s) && *(volatile uintptr_t *)s->lo != STACK_CANARY) {
        overflow_report();
        abort();
    }
    running_stack = to;
    running_name = to_name;
}
