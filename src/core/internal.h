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
 */
#ifndef CASYNCIO_INTERNAL_H
#define CASYNCIO_INTERNAL_H

#include "../../include/asyncio.h"
#include "../arch/arch.h"
#include "../port/port.h"

#define NO_DEADLINE UINT64_MAX

/* Something the ready queue can hold: a task or a callback. */
enum runnable_kind { RUNNABLE_TASK = 1, RUNNABLE_CALLBACK = 2 };
struct runnable {
    struct runnable *next;
    uint8_t kind;
};

/* An entry of the loop's timer heap. Its owners (tasks, callbacks) start with
 * a struct timer_owner, so a timer leads back to its owner and kind. */
struct timer {
    uint64_t deadline;
    uint32_t seq;        /* insertion order: FIFO among equal deadlines */
    uint32_t heap_index; /* TIMER_NOT_QUEUED when not in the heap */
};
struct timer_owner {
    struct runnable run;
    struct timer timer;
};
static inline struct runnable *timer_owner(struct timer *t) {
    return (struct runnable *)(void *)((char *)t - offsetof(struct timer_owner, timer));
}
#define TIMER_NOT_QUEUED UINT32_MAX

enum task_state {
    TASK_NEW,     /* created, in the ready queue, body not started */
    TASK_READY,   /* in the ready queue */
    TASK_RUNNING, /* the current task */
    TASK_WAITING, /* suspended in task_wait() */
    TASK_DONE     /* body returned; stack released */
};

enum task_flag {
    TASK_CANCEL_REQUESTED = 1u << 0,
    TASK_DETACHED = 1u << 1,       /* freed when it ends */
    TASK_OWNS_RECORD = 1u << 2,    /* record from malloc */
    TASK_OWNS_STACK = 1u << 3,     /* stack from port_stack_alloc */
    TASK_TIMER_IS_SCOPE = 1u << 4, /* the armed timer is a timeout scope's deadline */
    TASK_IN_JOIN = 1u << 5,        /* a join (await/gather/group) has taken it */
};

/* Called when a waiting task is cancelled (reason -ECANCELED) or its timeout
 * scope expires (-ETIMEDOUT). */
typedef void (*wait_interrupt_fn)(asyncio_task_t *t, int reason);

struct asyncio_task {
    struct runnable run; /* ready queue link; first member */
    struct timer timer;  /* second member: see struct timer_owner */
    uint8_t state;
    uint8_t flags;
    int result;      /* the body's return value once done */
    int wake_result; /* what the pending task_wait() returns */
    uint32_t id;
    arch_context_t ctx;
    asyncio_loop_t *loop;
    asyncio_coro_fn fn;
    void *arg;
    const char *name;
    /* the wait in progress */
    asyncio_waitq_t *waitq;
    asyncio_task_t *wait_prev, *wait_next;
    wait_interrupt_fn on_interrupt;
    void *wait_data;
    /* the join that consumes this task, and its siblings there */
    asyncio_join_t *join;
    asyncio_task_t *sibling_next;
    asyncio_timeout_t *scope; /* innermost timeout scope */
    asyncio_task_t *all_prev, *all_next;
    port_stack_t stack;
    char auto_name[12]; /* "task-N" when created without a name */
};

struct callback {
    struct runnable run; /* first two members: see struct timer_owner */
    struct timer timer;
    void (*fn)(void *);
    void *arg;
};

struct threadsafe_call {
    void (*fn)(void *);
    void *arg;
};

struct asyncio_loop {
    struct runnable *ready_head, *ready_tail;
    struct timer **heap;
    uint32_t heap_len, heap_cap, timer_seq;
    uint64_t epoch_us;   /* port_now_us() at creation (real time) */
    uint64_t virtual_us; /* the clock, with virtual time */
    bool virtual_time, stopping, closed, closing;
    arch_context_t loop_ctx; /* the loop's own (thread) stack while a task runs */
    asyncio_task_t *current;
    asyncio_task_t *ended;      /* finished, its stack not yet released */
    struct runnable *pass_last; /* the last item of the current pass */
    bool pass_over;
    uint32_t step_start_us; /* port_coarse_us32() when the running step began */
    asyncio_task_t *all_first, *all_last;
    uint32_t next_task_id;
    uint32_t external_waiters; /* tasks waiting on fds, flags, pins */
    struct port_loop *port;
    asyncio_exception_handler_fn on_exception;
    void *on_exception_ctx;
    asyncio_flag_t *flags; /* flags that have waiters */
    uint32_t slow_task_us;
    /* call_soon_threadsafe ring, guarded by port_critical_* */
    struct threadsafe_call threadsafe[ASYNCIO_THREADSAFE_SLOTS];
    uint32_t threadsafe_head, threadsafe_len;
    volatile uint32_t threadsafe_pending; /* set with the ring, swapped to 0 to drain */
    asyncio_task_t *until;                /* run_until_complete's task: the loop must see it end */
    asyncio_loop_t *next_closed;          /* loop_close.c: closed records, freed at exit */
};

/* ---- loop.c --------------------------------------------------------------- */
extern asyncio_loop_t *loop_running_now; /* the loop inside run_*, else NULL */
static inline asyncio_loop_t *loop_running(void) { return loop_running_now; }
asyncio_loop_t *loop_default(void);      /* running, else default (created on demand) */
uint64_t loop_now(asyncio_loop_t *loop); /* the loop's clock */
/* loop_now() + us, saturating just below NO_DEADLINE. */
uint64_t loop_deadline_after(asyncio_loop_t *loop, uint64_t us);
void loop_make_ready(asyncio_loop_t *loop, struct runnable *r);
bool loop_enter(asyncio_loop_t *loop); /* becomes the running loop; false if busy/closed */
void loop_leave(asyncio_loop_t *loop);
int loop_run_once(asyncio_loop_t *loop); /* one pass; -EDEADLK: nothing can happen */
void loop_forget(asyncio_loop_t *loop);  /* no longer the default loop */
/* The next task of the current pass, taken off the ready queue, or NULL when
 * the loop must run next (pass over, a callback next, a task to finish). */
asyncio_task_t *loop_pass_next_task(asyncio_loop_t *loop);
void loop_step_done(asyncio_loop_t *loop, asyncio_task_t *t); /* slow-step check */
void loop_report_failure(asyncio_loop_t *loop, asyncio_task_t *t);

/* ---- report.c: diagnostics without stdio (small firmware) ------------------- */
void report_line(const char *const parts[], size_t n); /* concatenated, one write */
const char *report_u32(char buf[11], uint32_t v);      /* decimal */

/* ---- timer_heap.c --------------------------------------------------------- */
int timer_heap_push(asyncio_loop_t *loop, struct timer *t, uint64_t deadline); /* 0 / -ENOMEM */
void timer_heap_remove(asyncio_loop_t *loop, struct timer *t);
static inline struct timer *timer_heap_peek(const asyncio_loop_t *loop) {
    return loop->heap_len ? loop->heap[0] : NULL;
}
struct timer *timer_heap_pop_due(asyncio_loop_t *loop, uint64_t now);
int timer_heap_reserve(asyncio_loop_t *loop, uint32_t extra);

/* ---- task.c --------------------------------------------------------------- */
static inline asyncio_task_t *task_current(void) {
    return loop_running_now ? loop_running_now->current : NULL;
}

int task_scope_check(asyncio_task_t *t); /* -ETIMEDOUT if a scope expired */

/* The checks at the top of every suspending call: -EPERM outside a task,
 * -ECANCELED when cancelled, -ETIMEDOUT when a timeout scope has expired. */
static inline int task_enter_wait(asyncio_task_t **self) {
    asyncio_task_t *t = task_current();
    *self = t;
    if (!t) return -EPERM;
    if (t->flags & TASK_CANCEL_REQUESTED) return -ECANCELED;
    return t->scope ? task_scope_check(t) : 0;
}
/* Suspends `self` until task_wake(), optionally queued on `q` (FIFO) and with
 * a deadline (task_wake(self, 0) when reached; an earlier timeout scope wins).
 * on_interrupt: NULL for the default (leave q, return the reason). */
int task_wait(asyncio_task_t *self, asyncio_waitq_t *q, uint64_t deadline,
              wait_interrupt_fn on_interrupt, void *wait_data);
/* Ends the wait of a waiting task: it will return `result`. */
void task_wake(asyncio_task_t *t, int result);
/* The deadline of the innermost expired-or-not scope (NO_DEADLINE if none). */
uint64_t task_scope_deadline(const asyncio_task_t *t);
void task_run(asyncio_loop_t *loop, asyncio_task_t *t); /* loop side: resume t */
void task_switch_out(asyncio_task_t *self);             /* task side: suspend */
void task_free(asyncio_task_t *t);                      /* record and stack */
void task_timer_fired(asyncio_task_t *t);
asyncio_task_t *task_create(asyncio_loop_t *loop, asyncio_coro_fn fn, void *arg,
                            const asyncio_task_opts_t *opts);

/* ---- waitq.c -------------------------------------------------------------- */
void waitq_push(asyncio_waitq_t *q, asyncio_task_t *t);
void waitq_remove(asyncio_waitq_t *q, asyncio_task_t *t);
asyncio_task_t *waitq_pop(asyncio_waitq_t *q);
static inline bool waitq_empty(const asyncio_waitq_t *q) { return q->first == NULL; }

/* ---- join.c --------------------------------------------------------------- */
void join_init(asyncio_join_t *j, uint8_t fail_fast);
void join_add(asyncio_join_t *j, asyncio_task_t *child); /* takes the child over */
int join_wait(asyncio_task_t *self, asyncio_join_t *j);  /* 0 or the interruption */
void join_child_done(asyncio_task_t *child);             /* a child of a join has ended */

/* ---- flag.c --------------------------------------------------------------- */
void flag_dispatch(asyncio_loop_t *loop); /* wake waiters of flags set meanwhile */

#endif
