/*
 * ThreadSafeFlag: the bridge from interrupt handlers, other threads and
 * signal handlers into the loop. set() only swaps a word, reads the flag's
 * loop and wakes it through the port (a SEV, an eventfd write): all of it
 * async-signal-safe. set() also signals the loop's flag record (a
 * driver_deferred_t), so the loop, after its next poll, runs
 * flag_dispatch(), which hands each set flag to its first waiter, consuming
 * the set.
 *
 * The flag is bound to a loop only while tasks wait on it (f->loop, published
 * atomically for set()); when the last waiter leaves, the flag is taken off
 * the loop's list and unbound, so a flag never points at a closed loop and a
 * static flag can serve one loop after another.
 *
 * No lost wake-up: a waiter publishes f->loop before it tests `pending`, and
 * set() raises `pending` before it reads f->loop. Either the waiter sees the
 * set, or set() sees the loop and wakes it (the two swaps of `pending` order
 * them).
 */
#include <string.h>

#include "internal.h"

static asyncio_loop_t *flag_loop(asyncio_flag_t *f) {
    return port_atomic_load_ptr((void *const volatile *)&f->loop);
}

static void flag_bind(asyncio_flag_t *f, asyncio_loop_t *loop) {
    port_atomic_store_ptr((void *volatile *)&f->loop, loop);
}

void asyncio_flag_init(asyncio_flag_t *f) {
    if (f) memset(f, 0, sizeof *f);
}

void asyncio_flag_set(asyncio_flag_t *f) {
    if (!f) return;
    port_atomic_swap(&f->pending, 1);
    asyncio_loop_t *loop = flag_loop(f);
    if (loop) driver_deferred_signal(&loop->flag_work);
}

void asyncio_flag_clear(asyncio_flag_t *f) {
    if (f) port_atomic_swap(&f->pending, 0);
}

static void flag_dispatch(driver_deferred_t *work);

static void flag_list(asyncio_loop_t *loop, asyncio_flag_t *f) {
    if (f->listed) return;
    loop->flag_work.fn = flag_dispatch;
    driver_deferred_add(loop, &loop->flag_work);
    f->listed = true;
    f->next = loop->flags;
    loop->flags = f;
}

/* Nobody waits any more: off the loop's list (at *link), bound to no loop
 * until someone does. */
static void flag_unlink(asyncio_flag_t **link) {
    asyncio_flag_t *f = *link;
    *link = f->next;
    f->next = NULL;
    f->listed = false;
    flag_bind(f, NULL);
}

static void flag_unlist(asyncio_loop_t *loop, asyncio_flag_t *f) {
    for (asyncio_flag_t **link = &loop->flags; *link; link = &(*link)->next) {
        if (*link == f) {
            flag_unlink(link);
            return;
        }
    }
}

/* A waiter was cancelled or timed out: it leaves without consuming a set. */
static void flag_waiter_left(asyncio_task_t *t, int reason) {
    asyncio_flag_t *f = task_wait_data(t);
    task_wake(t, reason);
    if (waitq_empty(&f->waiters)) flag_unlist(t->loop, f);
}

int asyncio_flag_wait(asyncio_flag_t *f) {
    if (!f) return -EINVAL;
    asyncio_task_t *self;
    int err = task_enter_wait(&self);
    if (err) return err;
    asyncio_loop_t *loop = self->loop;
    if (waitq_empty(&f->waiters)) {
        asyncio_loop_t *bound = flag_loop(f);
        if (bound && bound != loop) return -EINVAL; /* another loop's tasks wait on it */
        if (!bound) flag_bind(f, loop);             /* before testing `pending` */
        if (port_atomic_swap(&f->pending, 0)) {
            if (!f->listed) flag_bind(f, NULL);
            return 0;
        }
    } else if (flag_loop(f) != loop) {
        return -EINVAL;
    }
    flag_list(loop, f);
    err = driver_wait(self, &f->waiters, NO_DEADLINE, flag_waiter_left, f);
    if (err == -ENOMEM && waitq_empty(&f->waiters)) /* the scope's timer could not be armed */
        flag_unlist(loop, f);
    return err;
}

/* The loop's flag record, after a poll that followed a set. */
static void flag_dispatch(driver_deferred_t *work) {
    asyncio_loop_t *loop =
        (asyncio_loop_t *)(void *)((char *)work - offsetof(asyncio_loop_t, flag_work));
    asyncio_flag_t **link = &loop->flags;
    while (*link) {
        asyncio_flag_t *f = *link;
        if (waitq_first(&f->waiters) && port_atomic_swap(&f->pending, 0))
            task_wake(waitq_first(&f->waiters), 0);
        if (!waitq_first(&f->waiters))
            flag_unlink(link);
        else
            link = &f->next;
    }
}
