/*
 * Lock: a mutex between tasks, with fair hand-off. release() makes the first
 * waiter the owner before waking it, so nobody (not even the releasing task
 * asking again at once) can overtake it. A waiter that is cancelled or timed
 * out before the hand-off simply leaves the queue and never owns the lock; one
 * that was handed the lock before its cancellation arrived returns 0 and owns
 * it (its next suspending call reports the cancellation).
 */
#include "internal.h"

void asyncio_lock_init(asyncio_lock_t *l) {
    if (!l) return;
    l->owner = NULL;
    l->waiters.first = l->waiters.last = NULL;
}

int asyncio_lock_acquire(asyncio_lock_t *l) {
    if (!l) return -EINVAL;
    asyncio_task_t *self;
    int err = task_enter_wait(&self);
    if (err) return err;
    if (l->owner == self) return -EDEADLK; /* not recursive: waiting would never end */
    if (!l->owner) {
        l->owner = self;
        return 0;
    }
    return task_wait(self, &l->waiters, NO_DEADLINE, NULL, NULL);
}

int asyncio_lock_release(asyncio_lock_t *l) {
    if (!l) return -EINVAL;
    asyncio_task_t *self = task_current();
    if (!self || l->owner != self) return -EPERM;
    asyncio_task_t *next = waitq_first(&l->waiters);
    l->owner = next;
    if (next) task_wake(next, 0); /* it owns the lock already */
    return 0;
}

bool asyncio_lock_locked(const asyncio_lock_t *l) { return l && l->owner != NULL; }
