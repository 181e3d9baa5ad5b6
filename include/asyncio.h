/*
 * casyncio — MicroPython's asyncio, in C.
 *
 * An event loop runs many cooperative tasks on one core. A task is a C
 * function with its own stack; a suspending call (a sleep, an await, a wait on
 * an event or a socket) switches to the other tasks and comes back when it can
 * go on, with the task's locals intact.
 *
 * Conventions used throughout this header:
 *  - "Suspends": the call may switch to other tasks. It is only valid inside a
 *    task; outside one it returns -EPERM and does nothing.
 *  - Errors are negative errno values from <errno.h>. Every suspending call
 *    returns -ECANCELED once its task has been cancelled (level-triggered: every
 *    later suspending call does too, until asyncio_task_uncancel()) and
 *    -ETIMEDOUT once an enclosing timeout scope has expired.
 *  - Times are the loop's clock: 64-bit microseconds from the loop's creation,
 *    monotonic, never wrapping. With virtual time the clock only moves when
 *    every task is waiting, and then jumps to the next deadline.
 *  - A task handle is "joinable" until exactly one of asyncio_await,
 *    asyncio_gather, asyncio_wait_for, asyncio_loop_run_until_complete or
 *    asyncio_task_detach consumes it. After that the handle must not be used.
 *  - A call that fails with -EPERM or -EINVAL has no effect: every handle it
 *    was given stays with the caller.
 */
#ifndef ASYNCIO_H
#define ASYNCIO_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Sizes                                                                    */
/* ------------------------------------------------------------------------ */

/* The port's configuration (src/port/<port>/asyncio_port_config.h), each
 * setting overridable: ASYNCIO_MIN_STACK (smallest stack_size accepted),
 * ASYNCIO_DEFAULT_STACK (stack of a task created without opts; 64 KiB of
 * address space on the host, 1 KiB of RAM on the RP2040),
 * ASYNCIO_THREADSAFE_SLOTS, MACHINE_PIN_COUNT. */
#include "asyncio_port_config.h"

/* Bytes of caller storage that hold one task record (asyncio_task_opts_t.storage). */
#define ASYNCIO_TASK_STORAGE_SIZE (12u * sizeof(void *))

/* ------------------------------------------------------------------------ */
/* Types                                                                    */
/* ------------------------------------------------------------------------ */

typedef struct asyncio_loop asyncio_loop_t;
typedef struct asyncio_task asyncio_task_t;

/* A task body. Its return value is the task's result: >= 0 for success, a
 * negative errno for failure. */
typedef int (*asyncio_coro_fn)(void *arg);

typedef struct {
    bool virtual_time; /* time jumps to the next deadline whenever nothing is ready */
} asyncio_loop_opts_t;

/* Called when a task whose result is negative (other than -ECANCELED) is freed
 * without anyone having consumed its result. `task` is still readable during
 * the call (name, result) and freed right after. */
typedef void (*asyncio_exception_handler_fn)(asyncio_loop_t *loop, asyncio_task_t *task, int error,
                                             void *ctx);

typedef struct {
    const char *name;  /* shown in errors and dumps; not copied; NULL: "task-N" */
    size_t stack_size; /* 0: ASYNCIO_DEFAULT_STACK; below ASYNCIO_MIN_STACK: EINVAL */
    void *stack;       /* caller-provided stack of stack_size bytes, or NULL */
    void *storage;     /* caller-provided ASYNCIO_TASK_STORAGE_SIZE bytes (pointer
                          aligned) for the record, or NULL to allocate */
} asyncio_task_opts_t;

/* Private: a FIFO of waiting tasks. Zero-initialised means empty. */
struct asyncio_wait;
typedef struct asyncio_waitq {
    struct asyncio_wait *first, *last;
} asyncio_waitq_t;

/* ------------------------------------------------------------------------ */
/* Loop                                                                     */
/* ------------------------------------------------------------------------ */

/* Creates a loop, runs main(arg) in a task until it ends, cancels whatever
 * tasks are left and lets them unwind, closes the loop. Returns main's result,
 * -EINVAL for a NULL main, -ENOMEM when the loop or task cannot be created. */
int asyncio_run(asyncio_coro_fn main, void *arg);

/* The running loop, else the default loop (created on first use; it uses
 * virtual time when the environment has ASYNCIO_VIRTUAL_TIME=1). NULL only
 * when memory runs out. */
asyncio_loop_t *asyncio_get_event_loop(void);

/* A new loop with real time (or the given options). NULL with errno = ENOMEM. */
asyncio_loop_t *asyncio_new_event_loop(void);
asyncio_loop_t *asyncio_new_event_loop_ex(const asyncio_loop_opts_t *opts);

/* Makes `loop` the default loop returned by asyncio_get_event_loop(). The
 * previous default loop stays as it is: close it when done with it. */
void asyncio_set_event_loop(asyncio_loop_t *loop);

/* Creates a task on `loop` that will run fn(arg). The task does not run yet: it
 * is appended to the ready queue. Returns a joinable handle, or NULL with errno
 * = EINVAL (NULL fn or loop, closed loop) or ENOMEM. */
asyncio_task_t *asyncio_loop_create_task(asyncio_loop_t *loop, asyncio_coro_fn fn, void *arg);

/* Runs the loop until asyncio_loop_stop(). Returns at once for a closed loop or
 * when called from inside a task. */
void asyncio_loop_run_forever(asyncio_loop_t *loop);

/* Runs the loop until `task` ends and returns its result, consuming the task.
 * -EINTR if asyncio_loop_stop() came first (the task is not consumed),
 * -EDEADLK if nothing could ever wake any task (virtual time only; the task is
 * not consumed), -EINVAL for a NULL/foreign task or closed loop, -EPERM when
 * called from inside a task. */
int asyncio_loop_run_until_complete(asyncio_loop_t *loop, asyncio_task_t *task);

/* Makes run_forever / run_until_complete return after the current pass. */
void asyncio_loop_stop(asyncio_loop_t *loop);

/* Cancels every task still pending, runs the loop until they have all ended
 * (a task that uncancels itself and runs on keeps close waiting), reports
 * unconsumed failures, and frees every task record (task handles become
 * invalid) and the loop's resources. The loop handle itself stays valid:
 * every later call on it fails with -EINVAL (or NULL / errno EINVAL) and
 * does nothing. Called from inside a task, close does nothing. */
void asyncio_loop_close(asyncio_loop_t *loop);

/* Schedules cb(arg) to run from the loop, once: call_soon appends it to the
 * ready queue; call_later_ms after `ms` milliseconds. Returns 0, -EINVAL (NULL
 * cb, closed loop) or -ENOMEM. */
int asyncio_loop_call_soon(asyncio_loop_t *loop, void (*cb)(void *), void *arg);
int asyncio_loop_call_later_ms(asyncio_loop_t *loop, uint32_t ms, void (*cb)(void *), void *arg);

/* Like call_soon, but safe from another thread or an interrupt handler: the
 * call is queued in a fixed ring (ASYNCIO_THREADSAFE_SLOTS entries, from the
 * port's configuration: 64 on the host, 8 on the RP2040, where the ring is
 * part of the loop's RAM) and the
 * loop is woken. Returns 0, -EINVAL, or -EAGAIN when the ring is full. Not
 * async-signal-safe: from a signal handler use asyncio_flag_set(). */
int asyncio_loop_call_soon_threadsafe(asyncio_loop_t *loop, void (*cb)(void *), void *arg);

/* Replaces the exception handler (NULL restores the default, which writes one
 * line to stderr: "task 'name' failed: <strerror>"). */
void asyncio_loop_set_exception_handler(asyncio_loop_t *loop, asyncio_exception_handler_fn h,
                                        void *ctx);

/* The loop's clock in microseconds (virtual or real; 0 at the loop's creation). */
uint64_t asyncio_loop_time_us(asyncio_loop_t *loop);

/* The running (else default) loop's clock, as MicroPython's time.ticks_us /
 * ticks_ms, except that these never wrap (ticks_ms wraps after 49 days). */
uint64_t asyncio_ticks_us(void);
uint32_t asyncio_ticks_ms(void);

/* Debug aids. A task step (from resume to the next suspension) longer than the
 * threshold prints one warning naming the task when the step ends ("task 'x'
 * ran 250 ms without yielding"); 0 disables it. The default is 100 ms on
 * Linux; on the RP2040 it is off until set, so that firmware which never
 * sets it links none of the watch. */
void asyncio_loop_set_slow_task_threshold_ms(asyncio_loop_t *loop, uint32_t ms);

/* Writes one line per task of the running (else default) loop: name, state,
 * wake time, stack size and the most stack it has used so far. */
void asyncio_dump_tasks(FILE *out);

/* ------------------------------------------------------------------------ */
/* Tasks                                                                    */
/* ------------------------------------------------------------------------ */

/* asyncio_loop_create_task on the running (else default) loop; the _ex form
 * takes a name, a stack size, a caller stack and caller storage. NULL with
 * errno = EINVAL (NULL fn, stack_size below ASYNCIO_MIN_STACK) or ENOMEM. */
asyncio_task_t *asyncio_create_task(asyncio_coro_fn fn, void *arg);
asyncio_task_t *asyncio_create_task_ex(asyncio_coro_fn fn, void *arg,
                                       const asyncio_task_opts_t *opts);

/* The task that is running, NULL outside a task. */
asyncio_task_t *asyncio_current_task(void);

/* Private: seconds to whole microseconds, rounded up (never early); negative
 * or NaN is 0. Inline, so that a constant duration costs a small board no
 * floating-point code at all. */
static inline uint64_t asyncio_seconds_to_us_(double seconds) {
    if (!(seconds > 0)) return 0;
    double us = seconds * 1e6;
    if (us >= 1.8e19) return UINT64_MAX - 1;
    uint64_t whole = (uint64_t)us;
    return (double)whole < us ? whole + 1 : whole;
}

/* Suspends for at least the given time, measured from the call (never less:
 * the task resumes at or after its deadline). Returns 0, or -ECANCELED /
 * -ETIMEDOUT / -EPERM. Seconds round up to a whole microsecond; a negative or
 * NaN duration is 0 (a yield). */
int asyncio_sleep_ms(uint32_t ms);
int asyncio_sleep_us(uint64_t us);
static inline int asyncio_sleep(double seconds) {
    return asyncio_sleep_us(asyncio_seconds_to_us_(seconds));
}

/* Suspends until the loop's clock reaches deadline_us (a yield if it already
 * has). A sleep measured from the call drifts by each wake-up's latency; a
 * periodic task that adds its period to the previous deadline does not:
 *     for (uint64_t next = asyncio_ticks_us();; next += 500000) {
 *         machine_pin_toggle(&led);
 *         if (asyncio_sleep_until_us(next + 500000) < 0) break;
 *     }
 */
int asyncio_sleep_until_us(uint64_t deadline_us);

/* Suspends and lets every other ready task run once (sleep(0)). */
int asyncio_yield(void);

/* Requests cancellation: the task's current wait (or its next suspending call)
 * returns -ECANCELED, and so does every later one until it uncancels. A task
 * that has not started yet never runs; its result is -ECANCELED. Returns false
 * if the task has already ended (or t is NULL). */
bool asyncio_task_cancel(asyncio_task_t *t);

/* Withdraws the cancellation request: suspending calls work again. */
void asyncio_task_uncancel(asyncio_task_t *t);

bool asyncio_task_done(const asyncio_task_t *t);      /* it has ended */
bool asyncio_task_cancelled(const asyncio_task_t *t); /* it ended with -ECANCELED */
int asyncio_task_result(const asyncio_task_t *t);     /* its result; -EINPROGRESS before the end */
const char *asyncio_task_name(const asyncio_task_t *t);

/* Fire and forget: consumes the handle; the task is freed when it ends (a
 * failure is then reported to the exception handler). */
void asyncio_task_detach(asyncio_task_t *t);

/* Suspends until t ends and returns its result, consuming t. If the caller is
 * cancelled (or its timeout scope expires) meanwhile, t is cancelled too, and
 * the call returns -ECANCELED (-ETIMEDOUT) once t has ended. -EINVAL for NULL,
 * the current task itself, or a task another call is already waiting for. */
int asyncio_await(asyncio_task_t *t);

/* ------------------------------------------------------------------------ */
/* Composition                                                              */
/* ------------------------------------------------------------------------ */

#define ASYNCIO_RETURN_EXCEPTIONS 1u

/* Suspends until the n tasks end; consumes them all; results[i] (if results
 * is not NULL) receives task i's result. Returns 0 when every result is >= 0.
 * Without ASYNCIO_RETURN_EXCEPTIONS the first negative result cancels the
 * others and, once they have ended, is returned. With it, every task runs to
 * its end and the call returns 0. Cancelling the caller cancels every task. */
int asyncio_gather(asyncio_task_t *const tasks[], size_t n, int results[], unsigned flags);

/* Awaits t for at most the given time. On time-out t is cancelled, awaited,
 * and -ETIMEDOUT returned (t observes -ECANCELED). Consumes t. */
int asyncio_wait_for_us(asyncio_task_t *t, uint64_t timeout_us);
int asyncio_wait_for_ms(asyncio_task_t *t, uint32_t timeout_ms);
static inline int asyncio_wait_for(asyncio_task_t *t, double timeout_s) {
    return asyncio_wait_for_us(t, asyncio_seconds_to_us_(timeout_s));
}

/* A deadline scope, on the caller's stack (fields private). Between enter and
 * exit, once the deadline has passed every suspending call of the task returns
 * -ETIMEDOUT. Scopes nest (the earliest deadline wins) and are exited in the
 * reverse order of entry. Outside a task enter and exit do nothing. */
typedef struct asyncio_timeout {
    uint64_t deadline_us;          /* private */
    struct asyncio_timeout *outer; /* private */
    asyncio_task_t *task;          /* private */
} asyncio_timeout_t;

void asyncio_timeout_enter_ms(asyncio_timeout_t *scope, uint32_t ms);
void asyncio_timeout_enter_at_us(asyncio_timeout_t *scope, uint64_t deadline_us);
bool asyncio_timeout_exit(asyncio_timeout_t *scope); /* true if the deadline has passed */

/* Private: the bookkeeping shared by await, gather and task groups. */
typedef struct asyncio_join {
    asyncio_task_t *waiter;          /* the task blocked until every child ended */
    asyncio_task_t *const *children; /* await's and gather's; NULL: a group's, found
                                        among the loop's tasks */
    size_t n_children;
    size_t pending;    /* children that have not ended */
    int first_error;   /* first failure (fail-fast joins) */
    int interrupted;   /* the waiter was cancelled / timed out */
    uint8_t fail_fast; /* enum join_fail_fast (src/core/internal.h) */
    uint8_t failing;   /* a failure has cancelled the others */
} asyncio_join_t;

/* Structured concurrency, on the caller's stack (fields private). */
typedef struct asyncio_taskgroup {
    asyncio_join_t join;
} asyncio_taskgroup_t;

/* Makes g an empty group, ready for children. A group can be used again
 * after asyncio_taskgroup_wait returns. */
void asyncio_taskgroup_init(asyncio_taskgroup_t *g);

/* Creates a child of the group on the running (else default) loop. The group
 * owns it: the handle may be cancelled or inspected until asyncio_taskgroup_wait
 * returns, never consumed. NULL with errno = ECANCELED when the group is
 * failing, EINVAL or ENOMEM. */
asyncio_task_t *asyncio_taskgroup_create_task(asyncio_taskgroup_t *g, asyncio_coro_fn fn,
                                              void *arg);
asyncio_task_t *asyncio_taskgroup_create_task_ex(asyncio_taskgroup_t *g, asyncio_coro_fn fn,
                                                 void *arg, const asyncio_task_opts_t *opts);

/* Suspends until every child has ended (children may be added meanwhile),
 * then frees them. The first failure (-ECANCELED does not count) cancels the
 * other children at once and is returned; otherwise 0. Cancelling the waiter
 * cancels every child (-ECANCELED once they have ended). -EPERM outside a
 * task; -EINVAL for NULL or when another task is already waiting on g.
 * Children's records stay until this returns, so a long-lived group that
 * keeps adding children (a server's connections) grows by one small record
 * per finished child until it is waited for. */
int asyncio_taskgroup_wait(asyncio_taskgroup_t *g);

/* ------------------------------------------------------------------------ */
/* Synchronisation                                                          */
/* ------------------------------------------------------------------------ */

/* Every primitive has a static initialiser and an _init function, lives in
 * caller storage (fields private) and never allocates. Waiters are served in
 * FIFO order. A wait that completed (the lock was handed over, the item was
 * received) before its task was cancelled still returns success; a cancelled
 * waiter that had not been served leaves no trace. */

/* Event: set() wakes every waiter; wait() on a set event returns 0 at once. */
typedef struct asyncio_event {
    bool is_set;             /* private */
    asyncio_waitq_t waiters; /* private */
} asyncio_event_t;
/* clang-format off */
#define ASYNCIO_EVENT_INIT {false, {NULL, NULL}}
/* clang-format on */
void asyncio_event_init(asyncio_event_t *ev);
void asyncio_event_set(asyncio_event_t *ev);
void asyncio_event_clear(asyncio_event_t *ev);
bool asyncio_event_is_set(const asyncio_event_t *ev);
int asyncio_event_wait(asyncio_event_t *ev); /* suspends until set; 0 */

/* Lock: fair hand-off, a release gives the lock to the first waiter. */
typedef struct asyncio_lock {
    asyncio_task_t *owner;   /* private */
    asyncio_waitq_t waiters; /* private */
} asyncio_lock_t;
/* clang-format off */
#define ASYNCIO_LOCK_INIT {NULL, {NULL, NULL}}
/* clang-format on */
void asyncio_lock_init(asyncio_lock_t *l);
int asyncio_lock_acquire(asyncio_lock_t *l); /* suspends until held; 0 */
int asyncio_lock_release(asyncio_lock_t *l); /* 0; -EPERM if the caller does not hold it */
bool asyncio_lock_locked(const asyncio_lock_t *l);

/* Counting semaphore, with the lock's fairness; optionally bounded. */
typedef struct asyncio_sem {
    unsigned value;          /* private */
    unsigned bound;          /* private; 0: unbounded */
    asyncio_waitq_t waiters; /* private */
} asyncio_sem_t;
/* clang-format off */
#define ASYNCIO_SEM_INIT(value) {(value), 0u, {NULL, NULL}}
/* clang-format on */
void asyncio_sem_init(asyncio_sem_t *s, unsigned value);
void asyncio_sem_init_bounded(asyncio_sem_t *s, unsigned value, unsigned bound);
int asyncio_sem_acquire(asyncio_sem_t *s); /* suspends while the value is 0; 0 */
int asyncio_sem_release(asyncio_sem_t *s); /* 0; -EOVERFLOW past the bound */
unsigned asyncio_sem_value(const asyncio_sem_t *s);

/* Queue of fixed-size items in a caller-provided ring buffer of
 * item_size * capacity bytes. */
typedef struct asyncio_queue {
    unsigned char *buffer;   /* private */
    size_t item_size;        /* private */
    size_t capacity;         /* private */
    size_t head;             /* private: index of the oldest item */
    size_t count;            /* private */
    asyncio_waitq_t getters; /* private */
    asyncio_waitq_t putters; /* private */
} asyncio_queue_t;
/* clang-format off */
#define ASYNCIO_QUEUE_INIT(buffer, item_size, capacity)                                           \
    {(unsigned char *)(buffer), (item_size), (capacity), 0u, 0u, {NULL, NULL}, {NULL, NULL}}
/* clang-format on */
int asyncio_queue_init(asyncio_queue_t *q, void *buffer, size_t item_size, size_t capacity);
int asyncio_queue_put(asyncio_queue_t *q, const void *item);        /* suspends while full; 0 */
int asyncio_queue_get(asyncio_queue_t *q, void *item_out);          /* suspends while empty; 0 */
int asyncio_queue_put_nowait(asyncio_queue_t *q, const void *item); /* 0 or -EAGAIN */
int asyncio_queue_get_nowait(asyncio_queue_t *q, void *item_out);   /* 0 or -EAGAIN */
size_t asyncio_queue_qsize(const asyncio_queue_t *q);
bool asyncio_queue_empty(const asyncio_queue_t *q);
bool asyncio_queue_full(const asyncio_queue_t *q);

/* ThreadSafeFlag: set() is safe from an interrupt handler, another thread and
 * a POSIX signal handler. wait() suspends until the flag is set and clears it
 * as it returns; several sets before one wait count once. A set wakes one
 * waiter. The flag belongs to the loop of its first waiter (else the default
 * loop). */
typedef struct asyncio_flag {
    volatile uint32_t pending; /* private: set and not yet consumed */
    asyncio_loop_t *loop;      /* private */
    asyncio_waitq_t waiters;   /* private */
    struct asyncio_flag *next; /* private: the loop's list of flags with waiters */
    bool listed;               /* private */
} asyncio_flag_t;
/* clang-format off */
#define ASYNCIO_FLAG_INIT {0u, NULL, {NULL, NULL}, NULL, false}
/* clang-format on */
void asyncio_flag_init(asyncio_flag_t *f);
void asyncio_flag_set(asyncio_flag_t *f);
void asyncio_flag_clear(asyncio_flag_t *f);
int asyncio_flag_wait(asyncio_flag_t *f);

#ifdef __cplusplus
}
#endif
#endif /* ASYNCIO_H */
