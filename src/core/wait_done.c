/*
 * Waiting for a task's end without consuming it (asyncio_task_wait_done):
 * any number of tasks may wait for the same one. Their waits queue on the
 * loop, one queue for all of them, each with the task it waits for as its
 * data; when a task ends, the loop's hook (set by the first such wait, so
 * that a program that never waits this way links none of it) wakes those
 * that wait for it. A task's end costs a walk over the waiting ones, and
 * nothing when there are none.
 */
#include "internal.h"

static void wake_done_waiters(asyncio_task_t *ended) {
    struct asyncio_wait *w = ended->loop->done_waiters.first;
    while (w) {
        struct asyncio_wait *next = w->next; /* the wake takes w out of the queue */
        if (w->data == ended) task_wake(w->task, 0);
        w = next;
    }
}

int asyncio_task_wait_done(asyncio_task_t *t) {
    asyncio_task_t *self = task_current();
    if (!self) return -EPERM;
    if (!t || t == self || t->loop != self->loop) return -EINVAL;
    asyncio_loop_t *loop = self->loop;
    int err = task_interruption(loop, self);
    if (err) return err;
    if (t->run.state == TASK_DONE) return 0;
    loop->task_ended = wake_done_waiters;
    return task_wait(self, &loop->done_waiters, NO_DEADLINE, NULL, t);
}
