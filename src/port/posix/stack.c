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
 * Freed stacks are kept in a cache and handed out again, which turns
 * spawning a task into a few pointer moves instead of three system calls,
 * and ending one into none. The cache holds what the program's busiest moment
 * needed, up to STACK_CACHE_SIZE stacks (one touched page each, typically).
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
#define STACK_CACHE_SIZE 16384u /* at most ~64 MiB resident (one touched page each) */
#define STACK_CANARY ((uintptr_t)0x5AFEC0DE5AFEC0DEull)
#define PAINT_BYTE 0xA5

enum { STACK_GUARDED = 1u, STACK_ADOPTED = 2u, STACK_VALGRIND_SHIFT = 8 };

static size_t page_size;
static unsigned guarded_stacks; /* live or cached */
static port_stack_t cache[STACK_CACHE_SIZE];
static unsigned cached;

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

static int stack_map(port_stack_t *s, size_t size) {
    bool guard = guarded_stacks < GUARDED_STACK_LIMIT;
    size_t total = size + (guard ? page_size : 0);
    char *base = mmap(NULL, total, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) return -ENOMEM;
    if (guard && mprotect(base, page_size, PROT_NONE) != 0) {
        munmap(base, total);
        return -ENOMEM;
    }
    guarded_stacks += guard;
    s->lo = base + (guard ? page_size : 0);
    s->size = size;
    s->flags = guard ? STACK_GUARDED : 0;
    return 0;
}

int port_stack_alloc(port_stack_t *s, size_t size) {
    if (!page_size) page_size = (size_t)sysconf(_SC_PAGESIZE);
    install_overflow_handler();
    size = (size + page_size - 1) & ~(page_size - 1);
    if (size > ((size_t)1 << 40)) return -ENOMEM;
    for (unsigned i = cached; i-- > 0;) {
        if (cache[i].size != size) continue;
        *s = cache[i];
        cache[i] = cache[--cached];
        stack_prepare(s);
        return 0;
    }
    int err = stack_map(s, size);
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

void port_stack_free(port_stack_t *s) {
    valgrind_stack_deregister(s->flags >> STACK_VALGRIND_SHIFT);
    if (s->flags & STACK_ADOPTED) return;
    if (cached < STACK_CACHE_SIZE) {
        cache[cached++] = *s;
        return;
    }
    bool guard = s->flags & STACK_GUARDED;
    munmap((char *)s->lo - (guard ? page_size : 0), s->size + (guard ? page_size : 0));
    guarded_stacks -= guard;
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
