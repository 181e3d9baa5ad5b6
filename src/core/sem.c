/*
 * Counting semaphore with the lock's fairness: while tasks wait, a release
 * hands its permit straight to the first of them (the value stays 0), so a
 * task that releases and acquires again at once queues behind them.
 */
#include <limits.h>

#include "internal.h"

void asyncio_sem_init(asyncio_sem_t *s, unsigned value) { asyncio_sem_init_bounded(s, value, 0); }

/* bound 0: unbounded. A value above the bound starts at the bound. */
void asyncio_sem_init_bounded(asyncio_sem_t *s, unsigned value, unsigned bound) {
    if (!s) return;
    s->value = bound && value > bound ? bound : value;
    s->bound = bound;
    s->waiters.first = s->waiters.last = NULL;
}

int asyncio_sem_acquire(asyncio_sem_t *s) {
    if (!s) return -EINVAL;
    asyncio_task_t *self;
    int err = task_enter_wait(&self);
    if (err) return err;
    if (s->value > 0 && waitq_empty(&s->waiters)) {
        s->value--;
        return 0;
    }
    return task_wait(self, &s->waiters, NO_DEADLINE, NULL, NULL);
}

int asyncio_sem_release(asyncio_sem_t *s) {
    if (!s) return -EINVAL;
    asyncio_task_t *next = waitq_first(&s->waiters);
    if (next) {
        task_wake(next, 0); /* the permit is its own now */
        return 0;
    }
    unsigned limit = s->bound ? s->bound : UINT_MAX;
    if (s->value >= limit) return -EOVERFLOW;
    s->value++;
    return 0;
}

unsigned asyncio_sem_value(const asyncio_sem_t *s) { return s ? s->value : 0u; }
