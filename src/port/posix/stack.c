/*
 * Task stacks on Linux.
 *
 * A stack is 64 KiB of anonymous private memory of which only the touched
 * pages cost RAM. Its record (struct port_stack) sits in its top bytes, on
 * the page the task's first frames use anyway. Below every stack lies a
 * guard of GUARD_BYTES (64 KiB, address space only), so an overflow faults at
 * once and the SIGSEGV handler names the task. The guard is that large
 * because a frame may be: a function with a 20 KiB local array moves the
 * stack pointer past a one-page guard in one step, and its first store would
 * land in the stack below. The casyncio CMake target also compiles itself and
 * its consumers with -fstack-clash-protection where the compiler has it,
 * which touches every page of a large frame in order, so that frames of any
 * size meet the guard (GCC's probes on aarch64 assume a 64 KiB guard).
 *
 * (Under valgrind the guard is one page: see install_overflow_handler.)
 *
 * The handler runs on an alternate signal stack, which is per thread: every
 * thread that runs a loop gets one on entering its first task
 * (port_overflow_thread_init), and gives it back when it exits. A caller's
 * stack (asyncio_task_opts_t.stack) has no guard of ours, but a fault within
 * GUARD_BYTES below it is reported the same way (the canary catches the
 * overflows that fault nowhere).
 *
 * Stacks are carved from slabs of SLAB_STACKS (one mmap each), and the guard
 * pages are guard regions (madvise MADV_GUARD_INSTALL, Linux 6.13): they do
 * not split the slab's mapping, so 100,000 guarded stacks are 1,563
 * mappings, and a new stack costs one madvise instead of an mmap and an
 * mprotect (about 0.7 us instead of 3.4 us here). The kernel allows 65,530
 * mappings per process (vm.max_map_count), which matters for the fallback,
 * used where guard regions are missing (older kernels, qemu-user): each of
 * the first GUARDED_STACK_LIMIT stacks gets a mapping of its own with an
 * mprotect'ed guard page, which splits it in two; later ones come from
 * slabs without a guard and have a canary word at their limit instead,
 * checked each time their task switches out (port_inline.h). (A guarded
 * stack has no canary: the guard faults first, and the canary would make the
 * stack's lowest page resident, doubling what a sleeping task costs.)
 *
 * From a size's second slab on (a burst of new stacks), the top pages of
 * POPULATE_AHEAD stacks at a time (the record and the first frames) are made
 * resident together, in one system call instead of a page fault each
 * (populate_tops): a program pays for at most POPULATE_AHEAD - 1 pages
 * before it needs them, and one that never has SLAB_STACKS stacks of a size
 * at once pays only for the pages its tasks touch.
 *
 * Freed stacks are kept and handed out again, which turns spawning a task
 * into a few pointer moves instead of system calls, and ending one into none.
 * When the loop is about to sleep, stacks beyond STACK_CACHE_SIZE are given
 * back, a few hundred at a time (port_stack_trim): memory returns once the
 * busy moment has passed, without slowing the moment itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "port_posix.h"
#include "sanitizers.h"

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102 /* Linux 6.13 */
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif
#ifndef SYS_process_madvise
#define SYS_process_madvise 440 /* Linux 5.10, every architecture */
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434 /* Linux 5.3, every architecture */
#endif

#define GUARDED_STACK_LIMIT 16384u /* fallback: 32,768 mappings at most */
#define STACK_CACHE_SIZE    16384u /* warm stacks kept while idle: ~64 MiB resident at most */
#define SLAB_STACKS         64u
#define POPULATE_AHEAD      16u /* top pages made resident together */
#define PAINT_BYTE          0xA5
#define GUARD_BYTES         (64u * 1024u) /* below each stack; at least a page */
#define ALT_STACK_BYTES     (64u * 1024u) /* per thread, for the SIGSEGV handler */
_Static_assert(SLAB_STACKS % POPULATE_AHEAD == 0, "a slab is a whole number of populated runs");

enum {
    STACK_GUARDED = 2u, /* a guard region below lo, in a slab */
    STACK_OWN_MAP = 4u, /* fallback: a mapping of its own, guard mprotect'ed */
    STACK_ADOPTED = 8u, /* the caller's memory */
};

static size_t page_size, guard_size;
static unsigned guarded_stacks; /* live or cached */

/* ---- overflow reports -------------------------------------------------------- */

static void overflow_report(const port_stack_t *s) {
    const port_stack_t *running;
    const char *name;
    core_running_task(&running, &name);
    char line[256];
    int n = snprintf(line, sizeof line, "casyncio: task '%s' overflowed its %zu-byte stack\n",
                     name && running == s ? name : "?", s ? s->size : 0);
    if (n > 0) {
        ssize_t w = write(STDERR_FILENO, line, (size_t)n < sizeof line ? (size_t)n : sizeof line);
        (void)w;
    }
}

_Noreturn void port_stack_overflowed(const port_stack_t *s) {
    overflow_report(s);
    abort();
}

/* A fault is the running task's overflow when it lies in the guard below its
 * stack (or within GUARD_BYTES below a caller's stack, where a fault means
 * the same), or in the lowest bytes of the stack itself. */
static void on_segv(int sig, siginfo_t *info, void *uctx) {
    (void)uctx;
    const port_stack_t *s;
    const char *name;
    core_running_task(&s, &name);
    char *addr = info->si_addr;
    if (s && (s->flags & (STACK_GUARDED | STACK_OWN_MAP | STACK_ADOPTED)) &&
        addr >= s->lo - guard_size && addr < s->lo + 256) {
        overflow_report(s);
        signal(SIGABRT, SIG_DFL);
        abort();
    }
    signal(sig, SIG_DFL); /* not ours: let the fault happen again, unhandled */
}

static void install_overflow_handler(void) {
    static bool installed;
    if (installed) return;
    installed = true;
    page_size = (size_t)sysconf(_SC_PAGESIZE);
    /* Under valgrind a page: memcheck slows down twentyfold with larger
     * guards (test_sleep's 10,000 tasks: 20-40 s against 7 min), and
     * -fstack-clash-protection's probes still meet a one-page guard. */
    guard_size = GUARD_BYTES > page_size && !valgrind_running() ? GUARD_BYTES : page_size;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}

/* ---- the alternate signal stack of each thread that runs tasks ------------------ */

_Thread_local bool port_overflow_thread_ready;
static pthread_key_t alt_stack_key;
static pthread_once_t alt_stack_key_once = PTHREAD_ONCE_INIT;

/* At the thread's exit: the alternate stack is switched off, then unmapped. */
static void alt_stack_release(void *mem) {
    stack_t off = {.ss_flags = SS_DISABLE};
    sigaltstack(&off, NULL);
    munmap(mem, ALT_STACK_BYTES);
}

static void alt_stack_key_create(void) { pthread_key_create(&alt_stack_key, alt_stack_release); }

void port_overflow_thread_init(void) {
    port_overflow_thread_ready = true;
    stack_t old;
    if (sigaltstack(NULL, &old) == 0 && !(old.ss_flags & SS_DISABLE))
        return; /* the program (or a sanitizer) gave this thread one already */
    void *mem = mmap(NULL, ALT_STACK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
    if (mem == MAP_FAILED) return;
    stack_t ss = {.ss_sp = mem, .ss_size = ALT_STACK_BYTES, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) {
        munmap(mem, ALT_STACK_BYTES);
        return;
    }
    pthread_once(&alt_stack_key_once, alt_stack_key_create);
    pthread_setspecific(alt_stack_key, mem);
}

/* ---- the record ------------------------------------------------------------------ */

/* Writes the record into the top of [lo, lo + size) and gets the stack ready
 * for a task: canary, sanitizers, valgrind. */
static port_stack_t *stack_record(char *lo, size_t size, uint32_t flags) {
    uintptr_t at = ((uintptr_t)lo + size - sizeof(port_stack_t)) & ~(uintptr_t)15;
    port_stack_t *s = (port_stack_t *)at;
    sanitizer_unpoison(lo, size);
    s->lo = lo;
    s->size = size;
    s->flags = flags;
    if (!(flags & (STACK_GUARDED | STACK_OWN_MAP))) {
        s->flags |= PORT_STACK_HAS_CANARY;
        *(volatile uintptr_t *)(void *)lo = PORT_STACK_CANARY;
    }
    s->valgrind_id = valgrind_stack_register(lo, (size_t)((char *)s - lo));
    return s;
}

void *port_stack_lo(const port_stack_t *s) { return s->lo; }

size_t port_stack_size(const port_stack_t *s) { return s->size; }

/* ---- the cache ------------------------------------------------------------------- */

/* Freed stacks of one size. Warm ones still hold the pages their tasks
 * touched (their record included) and are handed out first; cold ones
 * (guardless stacks trimmed while the loop was idle) are address space only,
 * kept by their lowest address. Guardless stacks are carved from slabs. */
struct stack_bucket {
    size_t size;
    void **warm; /* port_stack_t * */
    void **cold; /* char *: lowest address */
    size_t n_warm, n_cold, cap_warm, cap_cold;
    char *slab_next; /* the unused part of the current slab */
    size_t slab_left;
    bool slab_guarded;   /* the current slab's guard regions are all in place */
    size_t slabs_mapped; /* from the second on, stacks are a burst's (populate_tops) */
};

#define MAX_BUCKETS 16
static struct stack_bucket buckets[MAX_BUCKETS];
static size_t n_buckets, warm_total;

static struct stack_bucket *bucket_for(size_t size) {
    static struct stack_bucket *last; /* nearly every task has the default size */
    if (last && last->size == size) return last;
    for (size_t i = 0; i < n_buckets; i++)
        if (buckets[i].size == size) return last = &buckets[i];
    if (n_buckets == MAX_BUCKETS) return NULL; /* unusual sizes are not cached */
    buckets[n_buckets].size = size;
    return &buckets[n_buckets++];
}

static bool push(void ***list, size_t *n, size_t *cap, void *item) {
    if (*n == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 64;
        void **grown = realloc(*list, grown_cap * sizeof *grown);
        if (!grown) return false;
        *list = grown;
        *cap = grown_cap;
    }
    (*list)[(*n)++] = item;
    return true;
}

/* Whether guard regions work here: the kernel must know the advice, and
 * must then refuse to read the page itself (qemu-user accepts any advice and
 * ignores it). Asked once. */
static bool guard_regions(void) {
    static int works = -1;
    if (works >= 0) return works;
    works = 0;
    char *page = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int fds[2];
    if (page == MAP_FAILED) return false;
    if (madvise(page, page_size, MADV_GUARD_INSTALL) == 0 && pipe(fds) == 0) {
        works = write(fds[1], page, 1) < 0 && errno == EFAULT;
        close(fds[0]);
        close(fds[1]);
    }
    munmap(page, page_size);
    return works;
}

/* Applies `advice` to `n` ranges of this process's memory in one system
 * call instead of one per range: process_madvise on this process's pidfd
 * (Linux 6.13 accepts any advice there for the caller itself). The pidfd is
 * opened again after a fork, where it would name the parent. Returns the
 * bytes advised (all of them unless the kernel stopped part way), or a
 * negative errno (-EINVAL, -ENOSYS: an older kernel, which the caller then
 * does without, or range by range). */
static long advise_ranges(const struct iovec *ranges, size_t n, int advice) {
    static int pidfd = -1;
    static pid_t pidfd_of;
    pid_t me = getpid();
    if (pidfd < 0 || pidfd_of != me) {
        if (pidfd >= 0) close(pidfd);
        pidfd = (int)syscall(SYS_pidfd_open, me, 0);
        pidfd_of = me;
        if (pidfd < 0) return -errno;
    }
    long done = syscall(SYS_process_madvise, pidfd, ranges, n, advice, 0u);
    return done < 0 ? -errno : done;
}

/* Installs the guard regions of every unit of a new slab (each unit's
 * lowest guard_size bytes) at once. False when the kernel refuses: each
 * stack then installs its own. */
static bool guard_slab(char *base, size_t unit) {
    struct iovec guards[SLAB_STACKS];
    for (size_t i = 0; i < SLAB_STACKS; i++) {
        guards[i].iov_base = base + i * unit;
        guards[i].iov_len = guard_size;
    }
    return advise_ranges(guards, SLAB_STACKS, MADV_GUARD_INSTALL) ==
           (long)(SLAB_STACKS * guard_size);
}

/* Makes the top pages of the next POPULATE_AHEAD units of a slab resident
 * at once (MADV_POPULATE_WRITE): the page that a stack's record and its
 * task's first frames use, which every task touches. One system call for
 * them all instead of a page fault per stack; the kernel still allocates
 * and zeroes each page, which is most of what a cold stack costs (see the
 * README's Performance notes). Given up for good once the kernel refuses
 * (before Linux 6.13 process_madvise takes no such advice); short of memory
 * (-ENOMEM) is no refusal: the pages not made resident fault in later. */
static void populate_tops(char *first, size_t unit) {
    static bool refused;
    if (refused || valgrind_running()) return; /* valgrind 3.19 has no process_madvise */
    struct iovec tops[POPULATE_AHEAD];
    for (size_t i = 0; i < POPULATE_AHEAD; i++) {
        tops[i].iov_base = first + (i + 1) * unit - page_size;
        tops[i].iov_len = page_size;
    }
    long done = advise_ranges(tops, POPULATE_AHEAD, MADV_POPULATE_WRITE);
    if (done == -EINVAL || done == -ENOSYS) refused = true;
}

/* Fallback: a mapping of its own, its lowest guard_size bytes made inaccessible. */
static port_stack_t *map_guarded(size_t size) {
    char *base = mmap(NULL, size + guard_size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) return NULL;
    if (mprotect(base, guard_size, PROT_NONE) != 0) {
        munmap(base, size + guard_size);
        return NULL;
    }
    guarded_stacks++;
    return stack_record(base + guard_size, size, STACK_OWN_MAP);
}

/* `unit` bytes of address space from the bucket's slab (or a mapping of
 * their own without a bucket). */
static char *carve_from_slab(struct stack_bucket *b, size_t unit) {
    if (!b) {
        char *lo = mmap(NULL, unit, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        return lo == MAP_FAILED ? NULL : lo;
    }
    if (b->slab_left == 0) {
        char *base = mmap(NULL, unit * SLAB_STACKS, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (base == MAP_FAILED) return NULL;
        b->slab_next = base;
        b->slab_left = SLAB_STACKS;
        b->slab_guarded = guard_regions() && guard_slab(base, unit);
        b->slabs_mapped++;
    }
    /* A burst (a second slab of this size): the next stacks' top pages at once. */
    if (b->slabs_mapped > 1 && b->slab_left % POPULATE_AHEAD == 0)
        populate_tops(b->slab_next, unit);
    char *lo = b->slab_next;
    b->slab_next += unit;
    b->slab_left--;
    return lo;
}

/* A stack never used before: a guard region and the stack above it, else
 * the fallback's guarded mapping or canary stack. */
static port_stack_t *new_stack(struct stack_bucket *b, size_t size) {
    if (guard_regions()) {
        char *unit = carve_from_slab(b, guard_size + size);
        if (!unit) return NULL;
        bool guarded = (b && b->slab_guarded) || madvise(unit, guard_size, MADV_GUARD_INSTALL) == 0;
        return stack_record(unit + guard_size, size, guarded ? STACK_GUARDED : 0);
    }
    if (guarded_stacks < GUARDED_STACK_LIMIT) return map_guarded(size);
    char *lo = carve_from_slab(b, size);
    return lo ? stack_record(lo, size, 0) : NULL;
}

static port_stack_t *stack_alloc_locked(size_t size) {
    install_overflow_handler();
    if (size > ((size_t)1 << 40)) return NULL; /* before rounding up, which would wrap */
    if (!port_overflow_thread_ready) port_overflow_thread_init();
    size = (size + page_size - 1) & ~(page_size - 1);
    struct stack_bucket *b = bucket_for(size);
    if (b && b->n_warm) { /* its record is as port_stack_free left it */
        warm_total--;
        port_stack_t *s = b->warm[--b->n_warm];
        sanitizer_unpoison(s->lo, s->size);
        s->valgrind_id = valgrind_stack_register(s->lo, (size_t)((char *)s - s->lo));
        return s;
    }
    if (b && b->n_cold) { /* a guard region survives; asking again costs nothing then */
        char *lo = b->cold[--b->n_cold];
        bool guarded =
            guard_regions() && madvise(lo - guard_size, guard_size, MADV_GUARD_INSTALL) == 0;
        return stack_record(lo, size, guarded ? STACK_GUARDED : 0);
    }
    return new_stack(b, size);
}

/* Each thread may run a loop, and stacks come and go in all of them: the
 * cache (and the set-up before the first stack) is the process's, behind one
 * lock. Threads seldom meet there, so the lock is a flag: one atomic
 * exchange to take it, a plain store to give it back (a mutex costs twice
 * the atomics and tens of instructions, a third of a spawn), and a waiter
 * yields the CPU. */
static atomic_flag cache_busy = ATOMIC_FLAG_INIT;

static void cache_lock(void) {
    while (atomic_flag_test_and_set_explicit(&cache_busy, memory_order_acquire)) sched_yield();
}

static void cache_unlock(void) { atomic_flag_clear_explicit(&cache_busy, memory_order_release); }

port_stack_t *port_stack_alloc(size_t size) {
    cache_lock();
    port_stack_t *s = stack_alloc_locked(size);
    cache_unlock();
    return s;
}

port_stack_t *port_stack_adopt(void *mem, size_t size) {
    if (!mem || size < 2 * sizeof(port_stack_t)) return NULL;
    install_overflow_handler();
    memset(mem, PAINT_BYTE, size); /* for the high-water mark */
    return stack_record(mem, size, STACK_ADOPTED);
}

/* Gives a stack's memory back to the system: one with a mapping of its own
 * is unmapped; one in a slab loses its pages (a guard region stays) and
 * waits, cold, for reuse. */
static void stack_release(struct stack_bucket *b, port_stack_t *s) {
    char *lo = s->lo;
    size_t size = s->size;
    if (s->flags & STACK_OWN_MAP) {
        munmap(lo - guard_size, size + guard_size);
        guarded_stacks--;
        return;
    }
    madvise(lo, size, MADV_DONTNEED);
    if (!b || !push(&b->cold, &b->n_cold, &b->cap_cold, lo)) munmap(lo, size);
}

/* Freeing costs no system call: the stack joins its bucket's warm list, and
 * port_stack_trim() releases what is beyond STACK_CACHE_SIZE later, when the
 * loop is idle. */
void port_stack_free(port_stack_t *s) {
    valgrind_stack_deregister(s->valgrind_id);
    s->valgrind_id = 0;
    if (s->flags & STACK_ADOPTED) return;
    cache_lock();
    struct stack_bucket *b = bucket_for(s->size);
    if (b && push(&b->warm, &b->n_warm, &b->cap_warm, s))
        warm_total++;
    else
        stack_release(b, s);
    cache_unlock();
}

void port_stack_trim(unsigned max_stacks) {
    cache_lock();
    for (size_t i = 0; i < n_buckets && warm_total > STACK_CACHE_SIZE && max_stacks; i++) {
        struct stack_bucket *b = &buckets[i];
        while (b->n_warm && warm_total > STACK_CACHE_SIZE && max_stacks) {
            warm_total--;
            max_stacks--;
            stack_release(b, b->warm[--b->n_warm]);
        }
    }
    cache_unlock();
}

/* Mapped stacks: the pages ever touched, counted down from the top (so a
 * recycled stack also shows what its earlier task touched). Adopted stacks:
 * the bytes no longer holding the paint. */
size_t port_stack_used(const port_stack_t *s) {
    const unsigned char *end = (const unsigned char *)s;
    if (s->flags & STACK_ADOPTED) {
        const unsigned char *p = (const unsigned char *)s->lo + sizeof(uintptr_t);
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
