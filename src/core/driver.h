/*
 * The driver interface: the one core header a port or a driver includes.
 *
 * A driver never touches the loop's record. What it needs from the core is
 * here, as libuv's uv__io_t gives its backends a handful of calls:
 *
 *   - suspending a task on an external event (a file descriptor, an
 *     interrupt, a peripheral): driver_wait_begin(), then driver_wait();
 *     whoever sees the event calls driver_wake() from loop context;
 *   - work an interrupt handler or another thread hands to the loop:
 *     a driver_deferred_t record, signalled from anywhere, run in loop
 *     context after the loop's next poll;
 *   - the core's small formatter for diagnostics, and the slow-step
 *     watch's counters for a port's watcher (step_watch.h).
 *
 * A suspending driver call, start to end:
 *
 *     asyncio_task_t *self;
 *     int err = driver_wait_begin(&self);    // -EPERM, -ECANCELED, -ETIMEDOUT
 *     if (err) return err;
 *     if (the event has happened already) return 0;    // no needless switch
 *     arm the hardware, remember self;
 *     return driver_wait(self, NULL, DRIVER_NO_DEADLINE, undo_and_wake, my_state);
 *
 *     // loop context, when the event comes (often a deferred record's fn):
 *     driver_wake(task, result);
 *
 *     // the task is cancelled or its timeout scope expires first:
 *     static void undo_and_wake(asyncio_task_t *t, int reason) {
 *         disarm what driver_wait_data(t) says;
 *         driver_wake(t, reason);
 *     }
 *
 * The core counts external waiters itself (the loop neither declares a
 * deadlock nor lets virtual time run past a task waiting on the outside
 * world) and reserves, in driver_wait_begin(), the timer a timeout scope may
 * need, so that driver_wait() never fails once the driver has armed
 * something.
 */
#ifndef CASYNCIO_DRIVER_H
#define CASYNCIO_DRIVER_H

#include <stdarg.h>
#include <stdint.h>

#include "../port/port.h"
#include "asyncio.h"
#include "step_watch.h"

/* driver_wait()'s deadline when only the event (or an interruption) ends the wait. */
#define DRIVER_NO_DEADLINE UINT64_MAX

/* ---- external waits ------------------------------------------------------------ */

/* Called when a waiting task is cancelled (reason -ECANCELED) or its timeout
 * scope expires (-ETIMEDOUT) before the driver woke it: undo what the driver
 * armed, then call driver_wake(t, reason). Loop context. */
typedef void (*driver_interrupt_fn)(asyncio_task_t *t, int reason);

/* The checks at the top of every suspending driver call: -EPERM outside a
 * task, -ECANCELED when the task is cancelled, -ETIMEDOUT when a timeout
 * scope has expired. 0: go on, with *self the running task. A wait never
 * fails for memory (each task holds its timer's slot from its creation). */
int driver_wait_begin(asyncio_task_t **self);

/* Suspends `self` (after driver_wait_begin() returned 0) until driver_wake(),
 * counted as an external waiter meanwhile.
 *   q            optional FIFO the task queues on while it waits (NULL: none);
 *                driver_wake() takes it out.
 *   deadline_us  loop-clock time (asyncio_loop_time_us) or DRIVER_NO_DEADLINE.
 *                Reaching it ends the wait with 0 and without on_interrupt:
 *                a driver that arms something for a wait with a deadline
 *                wakes it with a result other than 0 and, on 0, disarms
 *                what it armed itself. An earlier timeout scope wins.
 *   on_interrupt NULL: the default (leave q, wake with the reason).
 *   data         the driver's, read back with driver_wait_data().
 * Returns what driver_wake() passed, 0 at the deadline, or the
 * interruption (-ECANCELED, -ETIMEDOUT). */
int driver_wait(asyncio_task_t *self, asyncio_waitq_t *q, uint64_t deadline_us,
                driver_interrupt_fn on_interrupt, void *data);

/* Loop context only: ends the wait of `t` (driver_wait or driver_wait_tasks)
 * with `result`. Nothing happens if t is not waiting. */
void driver_wake(asyncio_task_t *t, int result);

/* The data the waiting task `t` passed to driver_wait(); NULL if t is not waiting. */
void *driver_wait_data(const asyncio_task_t *t);

/* The loop `t` belongs to. */
asyncio_loop_t *driver_task_loop(const asyncio_task_t *t);

/* Wakes every task waiting on q (in driver_wait) with `result`, in order. */
void driver_wake_all(asyncio_waitq_t *q, int result);

/* True if no task waits on q. */
static inline bool driver_waitq_empty(const asyncio_waitq_t *q) { return q->first == NULL; }

/* A wait for other tasks of the loop, not for the outside world (not counted
 * as an external waiter): a server waiting for its clients to end. Like
 * driver_wait() without a deadline. `unscoped`: the task's timeout scopes arm
 * no timer, for the rest of a wait whose interruption was handled already
 * (on_interrupt has cancelled what it waits for). */
int driver_wait_tasks(asyncio_task_t *self, bool unscoped, driver_interrupt_fn on_interrupt,
                      void *data);

/* ---- the loop, for its port ------------------------------------------------------ */

/* The port's state of `loop` (what port_loop_open() returned for it). */
struct port_loop *driver_loop_port(const asyncio_loop_t *loop);

/* True when `loop` runs on virtual time (asyncio_loop_opts_t.virtual_time):
 * its clock only moves when every task waits, so a driver must not arm
 * periodic re-checks there. */
bool driver_loop_virtual_time(const asyncio_loop_t *loop);

/* ---- deferred work ----------------------------------------------------------------- */

/* Work an interrupt handler, a signal handler or another thread asks the
 * loop to do: `fn` runs once in loop context after the loop's next poll,
 * however many times the record was signalled meanwhile (uv_async_t, a
 * bottom half). The record is the driver's (static storage, usually); a
 * loop has any number of them. Initialise with {.fn = my_fn}. */
typedef struct driver_deferred driver_deferred_t; /* fields: asyncio.h (a flag holds one) */

/* Registers d with `loop` (taking it off another loop's list). Loop context
 * (or before the loop runs); adding a record already added to the same loop
 * does nothing. The record runs once after the loop's next poll (it may
 * have been signalled before it was added), so its fn must cope with
 * finding nothing to do, which a signal that raced with an earlier run can
 * cause anyway. */
void driver_deferred_add(asyncio_loop_t *loop, driver_deferred_t *d);
/* Takes d off its loop's list (before the loop is closed, or the record's
 * storage reused). Loop context. A later signal only marks it pending. */
void driver_deferred_remove(asyncio_loop_t *loop, driver_deferred_t *d);
/* From an interrupt handler, another thread or core, or a signal handler
 * (async-signal-safe): marks d pending and wakes its loop (port_wake). */
void driver_deferred_signal(driver_deferred_t *d);

/* ---- a wake from an interrupt handler ---------------------------------------------- */

/* An interrupt handler's hand-over of one waiting task to the loop, for a
 * wait that one event ends (an edge, a transfer done): the handler calls
 * driver_isr_wake(), and right after the loop's next poll the task is woken
 * with the result, before deferred records run: no record to find, no fn
 * to look up which task it was. On a port whose poll is quiet (port.h's
 * port_poll_quiet), a hand-over made while the loop sleeps in it, with no
 * other waiting on the loop's list, wakes the task at once instead: the
 * same place in the ready queue. The record belongs to the wait (it may
 * live in the waiting call's frame, as the task stays suspended until the
 * hand-over is run or withdrawn). Fields are private. */
typedef struct driver_isr_wake {
    struct driver_isr_wake *next; /* the loop's list of hand-overs, while pending */
    asyncio_task_t *task;
    asyncio_loop_t *loop;
    int result;
    bool pending; /* on the loop's list (read and written in critical sections) */
} driver_isr_wake_t;

/* Loop context, in the waiting call after driver_wait_begin() and before
 * the handler can see the wait: binds w to `task` (its loop then runs
 * hand-overs after each poll). */
void driver_isr_wake_init(driver_isr_wake_t *w, asyncio_task_t *task);
/* From an interrupt handler (or any context: it takes the port's critical
 * section): hands w's task over to be woken with `result`, and wakes the
 * loop. Once per wait: a second call before the hand-over is run only
 * replaces the result. */
void driver_isr_wake(driver_isr_wake_t *w, int result);
/* driver_isr_wake() for a handler that already holds the port's critical
 * section (on a Cortex-M, a handler that masked interrupts once for all
 * the tasks it hands over): the same, without taking it again. */
void driver_isr_wake_masked(driver_isr_wake_t *w, int result);
/* Loop context, when the wait ends otherwise (the driver's interrupt hook,
 * once the handler can no longer hand w over): takes back a hand-over not
 * yet run; nothing if there is none. */
void driver_isr_wake_withdraw(driver_isr_wake_t *w);

/* ---- diagnostics without stdio (report.c) ---------------------------------------- */

/* Formats one line and writes it to the console (port_console_write) in one
 * piece: %s, %u and %x (unsigned), %d (int); nothing else (no flags, widths
 * or NULL strings). */
void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void report_v(const char *fmt, va_list ap);
/* v's digits in `base` (2..16), NUL-terminated at `end`, digit by digit
 * through a bit-serial division (no divide instruction needed); returns the
 * first digit, at most 32 (base 10: 10) characters before end. */
char *report_uint(char *end, uint32_t v, unsigned base);

#endif
