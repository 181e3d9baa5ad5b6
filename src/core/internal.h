/*
 * What the core's files share: the loop and task records and the handful of
 * primitives every suspending call is built from.
 *
 * A suspending call follows one pattern:
 *
 *     asyncio_task_t *self;
 *     int err = task_enter_wait(&self);      // -EPERM / -ECANCELED / -ETIMEDOUT
 *     if (err) return err;
 *     if (can complete now) return 0;        // no needless switch
 *     return task_wait(self, &queue, deadline, NULL, NULL);
 *
 * and whoever completes the wait calls task_wake(task, result). If the task is
 * cancelled or its timeout scope expires first, the core calls the wait's
 * interrupt hook (default: leave the queue and wake with the reason).
 *
 * Where a task's state lives. The record (struct asyncio_task) holds what
 * outlives the task's stack or what other tasks must reach: 12 words on a
 * 32-bit CPU. What only matters while the task is suspended lives in the
 * frames of the suspended calls, on its own stack: the wait in progress
 * (struct asyncio_wait, with its timer) in task_wait's frame, and the task's
 * chain of timeout scopes in task_switch_out's. The body and its argument sit
 * in the first frame (struct task_start). A shared-stack task's frames are
 * copied elsewhere while it is suspended, so its wait lives in its saved
 * record instead (task_shared.c says what else keeps out of its frames).
 *
 * A program links what it uses. The loop reaches the optional parts
 * through hooks in its record (struct asyncio_loop, each hook with its
 * setter named beside it) that those parts set when first used: drivers'
 * and flags' deferred work (run_deferred), call_soon_threadsafe
 * (drain_threadsafe), callbacks (run_callback), joins (join_child_done),
 * waits for a task's end (task_ended), timeout scopes (scope_ends_by),
 * virtual time (virtual_wait), the slow-step watch (watch_report,
 * watch_running); likewise a queued wait carries its way out of the queue
 * (leave_queue) and a timer the function that fires it (fire). So the blink
 * firmware, which uses none of them, links none of them (4 KB of flash in
 * all). To follow a call through a hook, look for its setter.
 *
 * Ports and drivers do not include this file: they use driver.h.
 */
#ifndef CASYNCIO_INTERNAL_H
#define CASYNCIO_INTERNAL_H

#include <stdarg.h>
#include <stdatomic.h>

#include "../../include/asyncio.h"
#include "../arch/arch.h"
#include "../port/port.h"
#include "driver.h"
#include "step_watch.h"

#define NO_DEADLINE UINT64_MAX

/* ms * 1000 in shifts: a Cortex-M0+ multiplies 64-bit numbers in a library
 * call that firmware would otherwise link for this alone. */
static inline uint64_t us_from_ms(uint32_t ms) {
    uint64_t m = ms;
    return (m << 10) - (m << 4) - (m << 3);
}

#if defined(__GNUC__)
#define unlikely(x) __builtin_expect(!!(x), 0)
/* For the few helpers on the path of every task switch, which a size build
 * (-Os, the firmware's) would otherwise leave as calls. */
#define HOT_INLINE static inline __attribute__((always_inline))
/* For a helper a size build would copy into each of its callers. */
#define NOINLINE __attribute__((noinline))
/* Stops the program where control can never arrive: one trapping
 * instruction (a fault, reported as such), not a call into the C library. */
#define NEVER_HERE() __builtin_trap()
/* Tells the compiler what always holds there, so that it drops the tests
 * (release builds, NDEBUG); a debug build checks it instead, and stops with
 * a report naming the place (as Lua's lua_assert). */
#if defined(NDEBUG)
#define ASSUME(x) ((x) ? (void)0 : __builtin_unreachable())
#else
#define ASSUME(x) ((x) ? (void)0 : assume_failed(#x, __FILE__, __LINE__))
#endif
/* The calling function's frame, on the stack it runs on (a sanitizer may
 * keep address-taken locals elsewhere). */
#define FRAME_ADDRESS() __builtin_frame_address(0)
/* Asks for the cache line at p ahead of its use (nothing where there is no
 * cache, as on a Cortex-M0+). */
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define unlikely(x) (x)
#define HOT_INLINE  static inline
#define NOINLINE
#define NEVER_HERE() abort()
#define PREFETCH(p) ((void)0)
#if defined(NDEBUG)
#define ASSUME(x) ((void)0)
#else
#define ASSUME(x) ((x) ? (void)0 : assume_failed(#x, __FILE__, __LINE__))
#endif
#define FRAME_ADDRESS() ((void *)&(char){0})
#endif

/* report.c: an ASSUME() that does not hold, in a debug build: "casyncio:
 * file:line: assumption failed: x", then the program stops. */
_Noreturn void assume_failed(const char *what, const char *file, unsigned line);

/* Something the ready queue holds: a task or a callback. The state and
 * flags are the task's; they share the word with `kind`. */
/* RUNNABLE_REPORT: an ended, detached task whose failure the loop reports
 * from its own stack, outside any task, before freeing it. */
enum runnable_kind { RUNNABLE_TASK = 1, RUNNABLE_CALLBACK = 2, RUNNABLE_REPORT = 3 };
struct runnable {
    struct runnable *next; /* first: see loop_ready_last() */
    uint8_t kind;
    uint8_t state; /* enum task_state */
    uint8_t flags; /* enum task_flag */
};

/* A timer lives in its owner (a wait, a callback); the loop's heap holds its
 * deadline and points back to it. When it is due, the loop calls `fire`: the
 * owner's kind of timer brings its own code, so a program links the kinds
 * it sets. */
struct timer;
typedef void (*timer_fire_fn)(asyncio_loop_t *loop, struct timer *t);
struct timer {
    /* Its slot in the heap (timer_heap.c), written when it is queued and
     * when it leaves the heap, never while the heap sifts (the owner often
     * sits on a sleeping task's stack); TIMER_NOT_QUEUED when not queued. */
    uint32_t slot;
    timer_fire_fn fire;
};
#define TIMER_NOT_QUEUED UINT32_MAX

/* Children per entry of the timer heap: the port's PORT_TIMER_HEAP_ARITY (a
 * power of two), 2 where the port says nothing (timer_heap.c). */
#if !defined(PORT_TIMER_HEAP_ARITY)
#define PORT_TIMER_HEAP_ARITY 2u
#endif

/* One entry of the heap: its key (copied in, so that comparisons never
 * leave the array) and its timer, or with PORT_TIMER_SLOT_ROWS the timer's
 * slot, which names its rows in the heap's `owners` and `where`. */
struct timer_entry {
    uint64_t deadline;
    uint32_t seq; /* insertion order: FIFO among equal deadlines */
#if PORT_TIMER_SLOT_ROWS
    uint32_t slot; /* 16 bytes: a group of 4 siblings fills a 64-byte line */
#else
    struct timer *timer;
#endif
};
/* entries[0..len) is the heap; with PORT_TIMER_SLOT_ROWS, owners[] and
 * where[] have a row per slot, up to cap (timer_heap.c). */
struct timer_heap {
    struct timer_entry *entries;
#if PORT_TIMER_SLOT_ROWS
    struct timer **owners; /* slot i's timer */
    uint32_t *where;       /* slot i's entry's index; where[0] heads the free slots */
    void *block;           /* the one allocation that holds the three arrays */
#endif
    uint32_t len, cap, next_seq;
    uint32_t claimed; /* timers that may be pending at once: cap > claimed */
};

/* The running task is the loop's `current` and keeps the state it had in
 * the ready queue (READY once its body has started): a switch writes no
 * state, and a yield, which queues a task that is READY already, none
 * either. */
enum task_state {
    TASK_NEW,     /* created, in the ready queue, body not started */
    TASK_READY,   /* in the ready queue, or running (loop->current) */
    TASK_WAITING, /* suspended in task_wait() */
    TASK_DONE     /* body returned; stack released */
};

enum task_flag {
    TASK_CANCEL_REQUESTED = 1u << 0,
    TASK_DETACHED = 1u << 1,        /* freed when it ends */
    TASK_OWNS_RECORD = 1u << 2,     /* record from malloc */
    TASK_IN_JOIN = 1u << 3,         /* a join (await/gather/group) or run_until_complete has it */
    TASK_NAME_ALLOCATED = 1u << 4,  /* name is "task-N", made on request */
    TASK_CLOSE_CANCELLED = 1u << 5, /* loop close has cancelled it (once) */
    TASK_SHARED_STACK = 1u << 6,    /* runs on the loop's shared stack (task_shared.c) */
};

/* Whether the port offers shared-stack tasks (its port_inline.h says so);
 * where it does not, the core compiles their code away. */
#if !defined(PORT_SHARED_STACKS)
#define PORT_SHARED_STACKS 0
#endif
/* Whether the port's asyncio_yield is its own, in assembly (task.c). */
#if !defined(PORT_ASM_YIELD)
#define PORT_ASM_YIELD 0
#endif

/* Called when a waiting task is cancelled (reason -ECANCELED) or its timeout
 * scope expires (-ETIMEDOUT). */
typedef void (*wait_interrupt_fn)(asyncio_task_t *t, int reason);

/* A wait in progress, in the frame of task_wait() on the waiting task's
 * stack (a shared-stack task's: in its saved record). Wait queues link
 * these. */
struct asyncio_wait {
    asyncio_task_t *task;
    struct asyncio_wait *prev, *next;            /* in `queue` */
    asyncio_waitq_t *queue;                      /* while queued */
    void (*leave_queue)(struct asyncio_wait *w); /* set by waitq_push() while queued, else NULL */
    wait_interrupt_fn on_interrupt;              /* NULL: leave the queue, wake with the reason */
    void *data;                                  /* the primitive's, for itself and its wakers */
    struct timer timer;                          /* the wait's deadline, or its timeout scope's */
};

static inline struct asyncio_wait *wait_of_timer(struct timer *t) {
    return (struct asyncio_wait *)(void *)((char *)t - offsetof(struct asyncio_wait, timer));
}

struct asyncio_task {
    struct runnable run;       /* ready queue link, kind, state, flags */
    arch_context_t ctx;        /* saved stack pointer while suspended */
    int result;                /* what the pending wait returns; the body's result once done */
    uint32_t id;               /* creation number */
    struct asyncio_wait *wait; /* while TASK_WAITING */
    asyncio_loop_t *loop;
    port_stack_t *stack;                 /* NULL once done */
    asyncio_join_t *join;                /* the join that consumes this task */
    const char *name;                    /* NULL: "task-<id>" */
    asyncio_task_t *all_prev, *all_next; /* every task of the loop, in creation order */
#if PORT_SHARED_STACKS
    struct task_saved *saved; /* a shared-stack task's saved frames (task_shared.c) */
#endif
};

/* The first frame of a task, at the top of its stack. */
struct task_start {
    asyncio_task_t *task;
    asyncio_coro_fn fn;
    void *arg;
};

struct callback {
    struct runnable run;
    struct timer timer;
    void (*fn)(void *);
    void *arg;
};

struct threadsafe_call {
    void (*fn)(void *);
    void *arg;
};

typedef void (*loop_hook_fn)(asyncio_loop_t *loop);

/* The fields the code reaches most come first: a Cortex-M0+ load reaches
 * 124 bytes past a pointer in one instruction. */
struct asyncio_loop {
    /* Made ready: the next pass. A pass takes the whole list when it begins
     * (pass_begin), so that what is made ready meanwhile waits for the
     * next one. ready_link is where the next item's address goes: the
     * last item's `next`, or ready_head when the list is empty (so that
     * adding one never tests which). */
    struct runnable *ready_head, **ready_link;
    struct runnable *pass_head; /* the pass's items not yet run; NULL: the pass is over */
    /* The reasons for a pass to end on the loop's stack, in one word that
     * the inline start of a pass tests with one load (any non-zero). */
    union {
        struct {
            bool stopping, closed, closing;
            bool until_ended; /* `until` has ended (task_finished) */
        };
        uint32_t must_return;
    };
    asyncio_task_t *current;
    asyncio_task_t *ended;    /* finished, its stack not yet released */
    asyncio_timeout_t *scope; /* the running task's innermost timeout scope */
    /* timeout.c's, set by asyncio_timeout_enter_at_us() (only scopes make
     * `scope` non-NULL): when the running task's scopes end at or before
     * *when (when NULL: now), moves *when to their deadline and returns what
     * fires a wait's timer for them; else NULL. */
    timer_fire_fn (*scope_ends_by)(asyncio_loop_t *loop, uint64_t *when);
    struct step_watch watch;
    /* watch.c's, set by watch_set_threshold() (NULL: the loop is not watched) */
    void (*watch_report)(asyncio_loop_t *loop, asyncio_task_t *t, uint32_t step);
    void (*watch_running)(asyncio_loop_t *loop, bool running);
    struct timer_heap timers;
    /* loop.c's virtual_wait(), set at creation with virtual time
     * (asyncio_loop_opts_t.virtual_time; test it with loop_virtual_time());
     * NULL on real time, so that firmware, always on real time, links none
     * of it */
    int (*virtual_wait)(asyncio_loop_t *loop);
    /* One word for either kind of clock: a loop has one for its lifetime. */
    union {
        uint64_t epoch_us;   /* real time: port_now_us() at creation */
        uint64_t virtual_us; /* virtual time: the clock itself */
    };
    arch_context_t loop_ctx; /* the loop's own (thread) stack while a task runs */
    asyncio_task_t *all_first, *all_last;
    uint32_t next_task_id;
    asyncio_task_t *until; /* run_until_complete's task: the loop must see it end */
    struct port_loop *port;
    /* threadsafe.c's, set by asyncio_loop_call_soon_threadsafe() */
    _Atomic loop_hook_fn drain_threadsafe;
    /* the records driver_deferred_add() added: drivers', and each flag's
     * while tasks wait on it */
    struct driver_deferred *deferred;
    /* driver.c's, set by driver_deferred_add() (the records) and
     * driver_isr_wake_init() (the hand-overs, then the records) */
    loop_hook_fn run_deferred;
    /* interrupt handlers' hand-overs (driver_isr_wake), latest first,
     * guarded by port_critical_*; run_deferred wakes their tasks */
    _Atomic(driver_isr_wake_t *) isr_woken;
    uint32_t external_waiters; /* tasks in driver_wait() and flag waits (driver.c, flag.c) */
    /* Past the 124 bytes: what is used at most once per task, callback or failure. */
    /* wait_done.c's, set by asyncio_task_wait_done() */
    void (*task_ended)(asyncio_task_t *t);
    void (*join_child_done)(asyncio_task_t *child); /* join.c's, set by join_add() */
    /* loop.c's, set by callback_new() (call_soon, call_later) */
    void (*run_callback)(asyncio_loop_t *loop, struct runnable *r);
    asyncio_exception_handler_fn on_exception;
    void *on_exception_ctx;
    asyncio_waitq_t done_waiters;  /* asyncio_task_wait_done's waits, any task's */
#if PORT_SPARE_TASK_RECORDS
    asyncio_task_t *spare_records; /* ended tasks' records, for new ones */
    uint32_t n_spare_records;
#endif
    /* call_soon_threadsafe ring, guarded by port_critical_* */
    volatile uint32_t threadsafe_pending; /* set with the ring, swapped to 0 to drain */
    uint32_t threadsafe_head, threadsafe_len;
    struct threadsafe_call threadsafe[ASYNCIO_THREADSAFE_SLOTS];
    asyncio_loop_t *next_closed; /* loop_close.c: closed records, freed at exit */
    /* PORT_PASS_STRETCH: the last item of the current pass, and of its
     * current stretch (NULL once taken: the stretch is over) */
    struct runnable *pass_end, *stretch_last;
#if PORT_SHARED_STACKS
    struct shared_stack *shared; /* task_shared.c's, made for the first shared-stack task */
#endif
};

/* ---- loop.c --------------------------------------------------------------- */
/* The loop inside run_* on each CPU (port.h's PORT_CPUS) of this thread,
 * else NULL: one loop runs per thread and CPU. */
extern PORT_THREAD_LOCAL asyncio_loop_t *loop_running_on[PORT_CPUS];
static inline asyncio_loop_t *loop_running(void) { return loop_running_on[port_cpu()]; }
asyncio_loop_t *loop_default(void);      /* running, else default (created on demand) */
uint64_t loop_now(asyncio_loop_t *loop); /* the loop's clock */
/* True when the loop's clock is virtual_us (asyncio_loop_opts_t.virtual_time). */
static inline bool loop_virtual_time(const asyncio_loop_t *loop) {
    return loop->virtual_wait != NULL;
}
/* loop_now() + us, saturating just below NO_DEADLINE. */
uint64_t loop_deadline_after(asyncio_loop_t *loop, uint64_t us);
bool loop_enter(asyncio_loop_t *loop); /* becomes the running loop; false if busy/closed */
void loop_leave(asyncio_loop_t *loop);
int loop_run_once(asyncio_loop_t *loop); /* one pass; -EDEADLK: nothing can happen */
void loop_forget(asyncio_loop_t *loop);  /* no longer the default loop */
bool loop_next_pass_inline(asyncio_loop_t *loop);
/* With timers queued: whether the earliest is due (a call, so that the
 * 64-bit clock stays out of the switches that inline the test). */
bool loop_timer_due(asyncio_loop_t *loop);
/* With PORT_PASS_STRETCH (loop.c): the pass goes on with its next stretch
 * unless timers are due (false: the loop must serve them); a pass begins
 * with its first stretch. */
bool loop_stretch_next(asyncio_loop_t *loop);
void loop_pass_begin_stretched(asyncio_loop_t *loop);
/* Calls the exception handler for an ended task that failed (else nothing),
 * in the caller's context: the loop's stack, or no running loop. */
void loop_report_failure(asyncio_loop_t *loop, asyncio_task_t *t);
void loop_callback_fired(asyncio_loop_t *loop, struct timer *t); /* a call_later's timer */
/* The heap of a loop (h is its `timers`) has had a timer queued while empty:
 * a pass under way looks at the timers from now on (PORT_PASS_STRETCH). */
void loop_timer_set(struct timer_heap *h);

/* The ready queue: add at its end. */
HOT_INLINE void loop_make_ready(asyncio_loop_t *loop, struct runnable *r) {
    r->next = NULL;
    *loop->ready_link = r;
    loop->ready_link = &r->next;
}

/* Empties the ready queue (its items are the caller's now). */
HOT_INLINE void loop_ready_clear(asyncio_loop_t *loop) {
    loop->ready_head = NULL;
    loop->ready_link = &loop->ready_head;
}

/* The ready queue's last item (it is not empty): the one whose `next` is
 * ready_link (`next` comes first in a struct runnable). */
HOT_INLINE struct runnable *loop_ready_last(const asyncio_loop_t *loop) {
    return (struct runnable *)(void *)loop->ready_link;
}

/* A pass (or, with PORT_PASS_STRETCH, the current stretch of it) is over. */
HOT_INLINE bool loop_stretch_over(const asyncio_loop_t *loop) {
    return !loop->pass_head || (PORT_PASS_STRETCH && !loop->stretch_last);
}

/* A pass begins on a task's stack: the items ready now (the queue is not
 * empty) become the pass, in stretches where the port has them. */
HOT_INLINE void loop_pass_take_ready(asyncio_loop_t *loop) {
    if (PORT_PASS_STRETCH) {
        loop_pass_begin_stretched(loop);
    } else {
        loop->pass_head = loop->ready_head;
        loop_ready_clear(loop); /* the pass's last item keeps its NULL link */
    }
}

/* When a pass is over and the loop itself has nothing to do (no fd to poll,
 * no wake-up, no timer due, no reason to stop), the next pass can begin right
 * here, without the two switches through the loop's stack: it begins (the
 * items ready now make it up) and this returns true. */
HOT_INLINE bool loop_pass_begin_inline(asyncio_loop_t *loop) {
    if (PORT_PASS_STRETCH && loop->pass_head) return loop_stretch_next(loop);
    if (loop->must_return || !loop->ready_head) return false;
    if (port_poll_needed(loop->port)) return false;
    if (loop->timers.len && loop_timer_due(loop)) return false;
    loop_pass_take_ready(loop);
    return true;
}

/* The yield's loop_pass_begin_inline(), for when no timer is pending and,
 * with PORT_PASS_STRETCH, the pass is over (not only a stretch): nothing to
 * call. The yield has queued itself: the queue is not empty. */
HOT_INLINE bool loop_pass_begin_untimed(asyncio_loop_t *loop) {
    ASSUME(loop->timers.len == 0 && !loop->pass_head && loop->ready_head);
    if (loop->must_return) return false;
    if (port_poll_needed(loop->port)) return false;
    loop_pass_take_ready(loop);
    return true;
}

/* Takes the next item of the pass (there is one, r when the caller has it
 * at hand), noting the end of the stretch. */
HOT_INLINE void loop_pass_take(asyncio_loop_t *loop, struct runnable *r) {
    loop->pass_head = r->next;
    if (PORT_PASS_STRETCH && r == loop->stretch_last) loop->stretch_last = NULL;
}
HOT_INLINE struct runnable *loop_pass_pop(asyncio_loop_t *loop) {
    struct runnable *r = loop->pass_head;
    loop_pass_take(loop, r);
    return r;
}

/* The next task of the current pass, taken off it, or NULL when the loop
 * must run next (pass over, a callback next, a task to finish). */
HOT_INLINE asyncio_task_t *loop_pass_next_task(asyncio_loop_t *loop) {
    if (loop_stretch_over(loop) && !loop_next_pass_inline(loop)) return NULL;
    if (loop->pass_head->kind != RUNNABLE_TASK) return NULL;
    return (asyncio_task_t *)(void *)loop_pass_pop(loop);
}

/* ---- watch.c: the slow-step warning ------------------------------------------------- */
/* Watches the loop from now on (0: sets no limit, the hooks stay). */
void watch_set_threshold(asyncio_loop_t *loop, uint32_t threshold_us);

/* A step ends: the slow one is reported (t: the task it ran, NULL: the loop's
 * own work), and the count moves on. */
HOT_INLINE void watch_step_end(asyncio_loop_t *loop, asyncio_task_t *t) {
    uint32_t step = atomic_load_explicit(&loop->watch.steps, memory_order_relaxed);
    if (unlikely(atomic_load_explicit(&loop->watch.slow_step, memory_order_relaxed) != 0))
        loop->watch_report(loop, t, step); /* only a watch marks steps, and it sets the hook */
    atomic_store_explicit(&loop->watch.steps, step + 1u, memory_order_relaxed);
}

/* ---- report.c: diagnostics without stdio (small firmware) ------------------- */
/* report(), report_v() and report_uint() are declared in driver.h. */
/* "task-N" into buf, or the task's name. */
const char *report_task_name(const asyncio_task_t *t, char buf[16]);

/* ---- timer_heap.c --------------------------------------------------------- */
/* Sets aside a slot for one more timer that may be pending (a new task's
 * wait, a call_later): 0, or -ENOMEM when the heap cannot grow. */
int timer_heap_claim(struct timer_heap *h);
static inline void timer_heap_unclaim(struct timer_heap *h) { h->claimed--; }
/* Queues `t` at `deadline`; never fails: its owner has claimed the slot. */
void timer_heap_push(struct timer_heap *h, struct timer *t, uint64_t deadline);
void timer_heap_remove(struct timer_heap *h, struct timer *t); /* if queued */
/* The earliest timer if it is due at `now` (taken out of the heap), else NULL. */
struct timer *timer_heap_pop_due(struct timer_heap *h, uint64_t now);
static inline const struct timer_entry *timer_heap_peek(const struct timer_heap *h) {
    return h->len ? &h->entries[0] : NULL;
}
/* The timer of the entry at i (i < len). */
static inline struct timer *timer_heap_timer_at(const struct timer_heap *h, uint32_t i) {
#if PORT_TIMER_SLOT_ROWS
    return h->owners[h->entries[i].slot];
#else
    return h->entries[i].timer;
#endif
}
/* Frees the heap's memory (the loop's closing: no timer is queued). */
static inline void timer_heap_release(struct timer_heap *h) {
#if PORT_TIMER_SLOT_ROWS
    PORT_FREE(h->block);
#else
    PORT_FREE(h->entries);
#endif
}
/* Where the entry of t (queued) is in the heap. */
static inline uint32_t timer_heap_index(const struct timer_heap *h, const struct timer *t) {
#if PORT_TIMER_SLOT_ROWS
    return h->where[t->slot];
#else
    (void)h;
    return t->slot;
#endif
}
static inline uint64_t timer_deadline(const struct timer_heap *h, const struct timer *t) {
    return h->entries[timer_heap_index(h, t)].deadline;
}

/* ---- task.c --------------------------------------------------------------- */
/* A failure the exception handler hears of if nobody consumes it. */
static inline bool task_failed(const asyncio_task_t *t) {
    return t->result < 0 && t->result != -ECANCELED;
}

static inline asyncio_task_t *task_current(void) {
    asyncio_loop_t *loop = loop_running();
    return loop ? loop->current : NULL;
}

int task_scope_check(asyncio_loop_t *loop); /* -ETIMEDOUT if a scope expired */

/* Why the running task `t` of `loop` cannot wait: -ECANCELED when it is
 * cancelled, -ETIMEDOUT when a timeout scope has expired; else 0. */
static inline int task_interruption(asyncio_loop_t *loop, const asyncio_task_t *t) {
    if (t->run.flags & TASK_CANCEL_REQUESTED) return -ECANCELED;
    return loop->scope ? task_scope_check(loop) : 0;
}

/* The checks at the top of every suspending call: -EPERM outside a task,
 * else task_interruption(). */
static inline int task_enter_wait(asyncio_task_t **self) {
    asyncio_loop_t *loop = loop_running();
    asyncio_task_t *t = loop ? loop->current : NULL;
    *self = t;
    if (!t) return -EPERM;
    return task_interruption(loop, t);
}
/* Suspends `self` until task_wake(), optionally queued on `q` (FIFO) and with
 * a deadline (task_wake(self, 0) when reached; an earlier timeout scope wins).
 * on_interrupt: NULL for the default (leave q, return the reason). */
int task_wait(asyncio_task_t *self, asyncio_waitq_t *q, uint64_t deadline,
              wait_interrupt_fn on_interrupt, void *wait_data);
/* task_wait() with no deadline whose timeout scopes arm no timer: for the
 * rest of a wait whose interruption was handled already (the children of a
 * join cancelled, a server's clients too). It cannot fail. */
int task_wait_unscoped(asyncio_task_t *self, wait_interrupt_fn on_interrupt, void *wait_data);
/* Ends the wait of a waiting task: it will return `result`. */
void task_wake(asyncio_task_t *t, int result);
/* task_wake()'s body, for the loop's hand-overs from interrupt handlers
 * (driver.c), which wake tasks on the path from an interrupt to its task:
 * no call there. `loop` is t's, where the caller has it at hand. */
HOT_INLINE void task_wake_on(asyncio_loop_t *loop, asyncio_task_t *t, int result) {
    if (t->run.state != TASK_WAITING) return;
    struct asyncio_wait *w = t->wait;
    /* the task's fields first: the calls below need only w, and what stays
     * live across them is then t and w */
    t->wait = NULL;
    t->result = result;
    t->run.state = TASK_READY;
    if (w->leave_queue) w->leave_queue(w); /* waitq.c is linked only where waits queue */
    /* most waits have no timer: no call for them */
    if (w->timer.slot != TIMER_NOT_QUEUED) timer_heap_remove(&loop->timers, &w->timer);
    loop_make_ready(loop, &t->run);
}
HOT_INLINE void task_wake_inline(asyncio_task_t *t, int result) { task_wake_on(t->loop, t, result); }
/* The wait's data of a waiting task (NULL when it is not waiting). */
static inline void *task_wait_data(const asyncio_task_t *t) {
    return t->run.state == TASK_WAITING ? t->wait->data : NULL;
}

/* The general yield, for a port whose asyncio_yield (PORT_ASM_YIELD, in
 * assembly) takes only the common case and comes here for the rest. */
int task_yield_general(void);
void task_run(asyncio_loop_t *loop, asyncio_task_t *t);           /* loop side: resume t */
void task_switch_out(asyncio_loop_t *loop, asyncio_task_t *self); /* task side: suspend */
void task_free(asyncio_task_t *t);                                /* record and stack */
void task_free_spare_records(asyncio_loop_t *loop);
/* Lays out a new task's first frame (struct task_start) on its stack. */
void task_context_make(asyncio_task_t *t, asyncio_coro_fn fn, void *arg);
/* Ends a wait early: the wait's interrupt hook, by default task_wake(t, reason). */
void task_interrupt(asyncio_task_t *t, int reason);
asyncio_task_t *task_create(asyncio_loop_t *loop, asyncio_coro_fn fn, void *arg,
                            const asyncio_task_opts_t *opts);

/* ---- task_shared.c: shared-stack tasks (ports with PORT_SHARED_STACKS) --- */
#if PORT_SHARED_STACKS
HOT_INLINE bool task_on_shared_stack(const asyncio_task_t *t) {
    return (t->run.flags & TASK_SHARED_STACK) != 0;
}
/* Makes t a shared-stack task that will run fn(arg): 0, or -ENOMEM /
 * -ENOTSUP (the context switch cannot resume a copied stack). */
int task_shared_init(asyncio_loop_t *loop, asyncio_task_t *t, asyncio_coro_fn fn, void *arg);
/* Whether shared-stack tasks can be made here (the context switch can
 * resume a copied stack): task_shared_init's -ENOTSUP, asked beforehand. */
bool task_shared_offered(void);
void task_shared_free(asyncio_task_t *t); /* its saved frames */
/* task_switch_out's: `self` leaves for the loop, which goes on with `next`
 * (when not NULL) after copying self's frames out (unless it has ended). */
void task_shared_leave(asyncio_loop_t *loop, asyncio_task_t *self, asyncio_task_t *next,
                       bool ending);
/* task_run's, on the loop's stack: copies t's frames onto the shared stack
 * (a new task: lays out its first frame there). */
void task_shared_enter(asyncio_loop_t *loop, asyncio_task_t *t);
/* task_run's, when a task has come back to the loop: copies out the frames
 * of the one that left, and returns the task it handed over to (NULL:
 * none). */
asyncio_task_t *task_shared_continue(asyncio_loop_t *loop);
/* The loop's shared stack, freed when the loop closes. */
void task_shared_close(asyncio_loop_t *loop);
/* Where a shared-stack task's waits live: in its saved record, which stays
 * put while its frames are copied out (task_wait() uses it). */
struct asyncio_wait *task_shared_wait_record(asyncio_task_t *t);

/* task_switch_out's: the task to switch to directly, or NULL to go through
 * the loop (a switch that involves a shared-stack task, unless a task
 * yields to itself). */
HOT_INLINE asyncio_task_t *task_shared_handoff(asyncio_loop_t *loop, asyncio_task_t *self,
                                               asyncio_task_t *next, bool ending) {
    if (!loop->shared || next == self) return next; /* no shared-stack task yet */
    if (!task_on_shared_stack(self) && !(next && task_on_shared_stack(next))) return next;
    task_shared_leave(loop, self, next, ending);
    return NULL;
}
HOT_INLINE asyncio_task_t *task_shared_handed_over(asyncio_loop_t *loop) {
    return loop->shared ? task_shared_continue(loop) : NULL;
}
#else
HOT_INLINE bool task_on_shared_stack(const asyncio_task_t *t) {
    (void)t;
    return false;
}
HOT_INLINE asyncio_task_t *task_shared_handoff(asyncio_loop_t *loop, asyncio_task_t *self,
                                               asyncio_task_t *next, bool ending) {
    (void)loop;
    (void)self;
    (void)ending;
    return next;
}
HOT_INLINE asyncio_task_t *task_shared_handed_over(asyncio_loop_t *loop) {
    (void)loop;
    return NULL;
}
static inline struct asyncio_wait *task_shared_wait_record(asyncio_task_t *t) {
    (void)t;
    return NULL; /* never called: no task is a shared-stack one */
}
static inline void task_shared_free(asyncio_task_t *t) { (void)t; }
static inline bool task_shared_offered(void) { return false; /* the port offers none */ }
static inline int task_shared_init(asyncio_loop_t *loop, asyncio_task_t *t, asyncio_coro_fn fn,
                                   void *arg) {
    (void)loop;
    (void)t;
    (void)fn;
    (void)arg;
    return -ENOTSUP; /* the port offers none */
}
static inline void task_shared_close(asyncio_loop_t *loop) { (void)loop; }
static inline void task_shared_enter(asyncio_loop_t *loop, asyncio_task_t *t) {
    (void)loop;
    (void)t;
}
#endif
/* Gives back a task's stack once it has left it for good (a shared-stack
 * task: its saved frames); the caller forgets it (t->stack = NULL) if the
 * record lives on. */
HOT_INLINE void task_stack_release(asyncio_task_t *t) {
    if (!t->stack) return; /* released already */
    if (task_on_shared_stack(t))
        task_shared_free(t);
    else
        port_stack_free(t->stack);
}

/* ---- waitq.c -------------------------------------------------------------- */
void waitq_push(asyncio_waitq_t *q, struct asyncio_wait *w);

static inline bool waitq_empty(const asyncio_waitq_t *q) { return q->first == NULL; }
/* The task at the head of q, NULL when empty. */
static inline asyncio_task_t *waitq_first(const asyncio_waitq_t *q) {
    return q->first ? q->first->task : NULL;
}

/* ---- join.c --------------------------------------------------------------- */
/* What a join does when a child fails (asyncio_join_t.fail_fast). */
enum join_fail_fast {
    JOIN_WAIT_FOR_ALL = 0,      /* await, gather with ASYNCIO_RETURN_EXCEPTIONS */
    JOIN_CANCEL_ON_FAILURE = 1, /* gather: any negative result cancels the others */
    JOIN_CANCEL_ON_ERROR = 2,   /* a task group: any but -ECANCELED does */
};
void join_init(asyncio_join_t *j, enum join_fail_fast fail_fast);
void join_add(asyncio_join_t *j, asyncio_task_t *child); /* takes the child over */
int join_wait(asyncio_task_t *self, asyncio_join_t *j);  /* 0 or the interruption */

#endif
