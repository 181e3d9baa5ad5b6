/*
 * ThreadSafeFlag: the bridge from interrupt handlers, other threads and
 * signal handlers into the loop. set() only swaps a word, reads the flag's
 * loop and wakes it through the port (a SEV, an eventfd write): all of it
 * async-signal-safe. A flag is a deferred record of its own (f->work, a
 * driver_deferred_t): set() signals it, so the loop, after its next poll,
 * runs flag_dispatch(), which hands the set to the flag's first waiter,
 * consuming it. The loop's record holds nothing for flags: a program without
 * them pays no RAM for them.
 *
 * The flag is bound to a loop only while tasks wait on it: its record is
 * added to that loop (f->work.loop, published atomically for set()) and
 * removed when the last waiter leaves, so a flag never points at a closed
 * loop and a static flag can serve one loop after another.
 *
 * No lost wake-up: a waiter publishes the loop (adding the record) before it
 * tests `pending`, and set() raises `pending` before it reads the loop.
 * Either the waiter sees the set, or set() sees the loop and wakes it (the
 * two swaps of `pending` order them).
 */
#include <string.h>

#include "internal.h"

static asyncio_loop_t *flag_loop(asyncio_flag_t *f) {
    return port_atomic_load_ptr((void *const volatile *)&f->work.loop);
}

void asyncio_flag_init(asyncio_flag_t *f) {
    if (f) memset(f, 0, sizeof *f);
}

void asyncio_flag_set(asyncio_flag_t *f) {
    if (!f) return;
    port_atomic_swap(&f->pending, 1);
    driver_deferred_signal(&f->work); /* wakes the loop only while the flag is bound */
}

void asyncio_flag_clear(asyncio_flag_t *f) {
    if (f) port_atomic_swap(&f->pending, 0);
}

static void flag_dispatch(driver_deferred_t *work);

/* Binds f to `loop` for its first waiter (publishing the loop before the
 * caller tests `pending`). The record then runs once after the next poll,
 * which finds a set flag or nothing to do. */
static void flag_bind(asyncio_loop_t *loop, asyncio_flag_t *f) {
    f->work.fn = flag_dispatch;
    driver_deferred_add(loop, &f->work);
}

/* Nobody waits any more: bound to no loop until someone does. */
static void flag_unbind(asyncio_flag_t *f) { driver_deferred_remove(f->work.loop, &f->work); }

/* A waiter was cancelled or timed out: it leaves without consuming a set. */
static void flag_waiter_left(asyncio_task_t *t, int reason) {
    asyncio_flag_t *f = task_wait_data(t);
    task_wake(t, reason);
    if (waitq_empty(&f->waiters)) flag_unbind(f);
}

int asyncio_flag_wait(asyncio_flag_t *f) {
    if (!f) return -EINVAL;
    asyncio_task_t *self;
    int err = task_enter_wait(&self);
    if (err) return err;
    asyncio_loop_t *loop = self->loop;
    asyncio_loop_t *bound = flag_loop(f);       /* bound exactly while tasks wait on it */
    if (bound && bound != loop) return -EINVAL; /* another loop's tasks wait on it */
    if (!bound) {
        flag_bind(loop, f); /* before testing `pending` */
        if (port_atomic_swap(&f->pending, 0)) {
            flag_unbind(f);
            return 0;
        }
    }
    return driver_wait(self, &f->waiters, NO_DEADLINE, flag_waiter_left, f);
}

/* The flag's record, after a poll that followed a set (or its binding). */
static void flag_dispatch(driver_deferred_t *work) {
    asyncio_flag_t *f = (asyncio_flag_t *)(void *)((char *)work - offsetof(asyncio_flag_t, work));
    if (waitq_first(&f->waiters) && port_atomic_swap(&f->pending, 0))
        task_wake(waitq_first(&f->waiters), 0);
    if (!waitq_first(&f->waiters)) flag_unbind(f);
}
