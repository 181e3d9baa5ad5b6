/*
 * ThreadSafeFlag: the bridge from interrupt handlers, other threads and
 * signal handlers into the loop. set() only swaps a word and wakes the
 * loop through the port (a SEV, an eventfd write); the loop itself, in
 * flag_dispatch() once per pass, hands each set flag to its first waiter.
 */
#include <string.h>

#include "internal.h"

void asyncio_flag_init(asyncio_flag_t *f) {
    if (f) memset(f, 0, sizeof *f);
}

void asyncio_flag_set(asyncio_flag_t *f) {
    if (!f) return;
    port_atomic_swap(&f->pending, 1);
    asyncio_loop_t *loop = f->loop;
    if (loop) port_wake(loop->port);
}

void asyncio_flag_clear(asyncio_flag_t *f) {
    if (f) port_atomic_swap(&f->pending, 0);
}

static void flag_list(asyncio_loop_t *loop, asyncio_flag_t *f) {
    if (f->listed) return;
    f->listed = true;
    f->next = loop->flags;
    loop->flags = f;
}

static void flag_waiter_left(asyncio_task_t *t, int reason) {
    t->loop->external_waiters--;
    task_wake(t, reason);
}

int asyncio_flag_wait(asyncio_flag_t *f) {
    asyncio_task_t *self;
    int err = task_enter_wait(&self);
    if (err) return err;
    if (!f) return -EINVAL;
    if (!f->loop) f->loop = self->loop;
    if (f->loop != self->loop) return -EINVAL;
    if (port_atomic_swap(&f->pending, 0)) return 0;
    flag_list(self->loop, f);
    self->loop->external_waiters++;
    return task_wait(self, &f->waiters, NO_DEADLINE, flag_waiter_left, f);
}

void flag_dispatch(asyncio_loop_t *loop) {
    asyncio_flag_t **link = &loop->flags;
    while (*link) {
        asyncio_flag_t *f = *link;
        if (f->waiters.first && port_atomic_swap(&f->pending, 0)) {
            loop->external_waiters--;
            task_wake(f->waiters.first, 0);
        }
        if (!f->waiters.first) { /* nobody waits: off the list until someone does */
            f->listed = false;
            *link = f->next;
        } else {
            link = &f->next;
        }
    }
}
