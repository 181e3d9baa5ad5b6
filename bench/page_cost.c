/* page_cost: what the kernel charges for a cold task stack on this machine,
 * without casyncio. A task on a private stack needs, in a process that has
 * never had one, a fresh page (its top page: the stack's record and first
 * frames) and a guard region below it. This measures, in CPU time per
 * stack (best of RUNS), for STACKS units laid out as the POSIX port lays
 * out its stacks (a 64 KiB guard below a 64 KiB stack):
 *
 *   fault       each unit's top page touched: one page fault per stack;
 *   populate    the same pages made resident 16 units at a time with
 *               process_madvise(MADV_POPULATE_WRITE), as the port does in a
 *               burst;
 *   guard       each unit's guard region installed, 64 units at a time
 *               (process_madvise(MADV_GUARD_INSTALL)), as the port does;
 *   contiguous  STACKS pages of one mapping made resident by mmap
 *               (MAP_POPULATE): the kernel's cheapest way to hand out fresh
 *               pages, a floor for the populate line.
 *
 * populate + guard is what a cold private stack costs before casyncio does
 * anything; a rate of 1,000,000 tasks/s leaves 1 us per task for
 * everything. Run by hand: build-bench/bench/page_cost. Linux 6.13 or later
 * (guard regions, process_madvise on oneself). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif
#ifndef SYS_process_madvise
#define SYS_process_madvise 440
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

enum {
    STACKS = 100000,
    GUARD = 64 * 1024,
    UNIT = GUARD + 64 * 1024,
    POPULATE_RUN = 16, /* as POPULATE_AHEAD in src/port/posix/stack.c */
    GUARD_RUN = 64,    /* as SLAB_STACKS there */
    RUNS = 5,
};

enum way { FAULT, POPULATE, GUARD_INSTALL, CONTIGUOUS, WAYS };
static const char *const way_names[WAYS] = {"fault", "populate", "guard", "contiguous"};

static size_t page_size;
static int self_pidfd;

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Applies `advice` to `n` ranges of `len` bytes, the first at `first`,
 * one every UNIT bytes, in one system call. */
static int advise_every_unit(char *first, size_t n, size_t len, int advice) {
    struct iovec ranges[GUARD_RUN];
    for (size_t i = 0; i < n; i++) {
        ranges[i].iov_base = first + i * UNIT;
        ranges[i].iov_len = len;
    }
    return syscall(SYS_process_madvise, self_pidfd, ranges, n, advice, 0u) < 0 ? -errno : 0;
}

/* Does `way` for STACKS stacks in fresh address space; CPU seconds, or a
 * negative errno. */
static double one_run(enum way way) {
    size_t bytes = way == CONTIGUOUS ? STACKS * page_size : (size_t)STACKS * UNIT;
    int flags =
        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | (way == CONTIGUOUS ? MAP_POPULATE : 0);
    double t0 = cpu_seconds();
    char *base = mmap(NULL, bytes, PROT_READ | PROT_WRITE, flags, -1, 0);
    if (base == MAP_FAILED) return -errno;
    int err = 0;
    char *top_page = base + UNIT - page_size;
    for (size_t i = 0; way == FAULT && i < STACKS; i++) top_page[i * UNIT] = 1;
    for (size_t i = 0; way == POPULATE && !err && i < STACKS; i += POPULATE_RUN)
        err = advise_every_unit(top_page + i * UNIT, POPULATE_RUN, page_size, MADV_POPULATE_WRITE);
    for (size_t i = 0; way == GUARD_INSTALL && !err && i + GUARD_RUN <= STACKS; i += GUARD_RUN)
        err = advise_every_unit(base + i * UNIT, GUARD_RUN, GUARD, MADV_GUARD_INSTALL);
    double spent = cpu_seconds() - t0;
    munmap(base, bytes);
    return err ? err : spent;
}

int main(void) {
    page_size = (size_t)sysconf(_SC_PAGESIZE);
    self_pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
    if (self_pidfd < 0) {
        perror("pidfd_open");
        return 1;
    }
    _Static_assert(STACKS % POPULATE_RUN == 0, "whole runs of populated pages");
    double best[WAYS];
    for (int w = 0; w < WAYS; w++) best[w] = 1e9;
    for (int run = 0; run < RUNS; run++) /* the ways take turns, so that load hits all alike */
        for (int w = 0; w < WAYS; w++) {
            double spent = one_run((enum way)w);
            if (spent < 0) {
                fprintf(stderr, "%s: %s\n", way_names[w], strerror((int)-spent));
                return 1;
            }
            if (spent < best[w]) best[w] = spent;
        }
    size_t guarded = STACKS - STACKS % GUARD_RUN;
    printf("CPU time per stack, best of %d runs of %d stacks:\n", RUNS, STACKS);
    for (int w = 0; w < WAYS; w++)
        printf("  %-10s %6.3f us\n", way_names[w],
               best[w] * 1e6 / (double)(w == GUARD_INSTALL ? guarded : STACKS));
    printf("  populate + guard: %.3f us, at most %.0f cold private-stack tasks/s\n",
           (best[POPULATE] / STACKS + best[GUARD_INSTALL] / (double)guarded) * 1e6,
           1.0 / (best[POPULATE] / STACKS + best[GUARD_INSTALL] / (double)guarded));
    return 0;
}
