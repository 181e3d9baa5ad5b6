/*
 * Event: a boolean that tasks wait on. set() wakes every waiter at once, in
 * the order they started waiting; a waiter woken by set() returns 0 even if
 * the event is cleared again before it resumes (as in CPython and MicroPython).
 */
#include "internal.h"

void asyncio_event_init(asyncio_event_t *ev) {
    if (!ev) return;
    ev->is_set = false;
    ev->waiters.first = ev->waiters.last = NULL;
}

void asyncio_event_set(asyncio_event_t *ev) {
    if (!ev) return;
    ev->is_set = true;
    asyncio_task_t *t;
    while ((t = waitq_first(&ev->waiters)) != NULL) task_wake(t, 0); /* leaves the queue */
}

void asyncio_event_clear(asyncio_event_t *ev) {
    if (ev) ev->is_set = false;
}

bool asyncio_event_is_set(const asyncio_event_t *ev) { return ev && ev->is_set; }

int asyncio_event_wait(asyncio_event_t *ev) {
    if (!ev) return -EINVAL;
    asyncio_task_t *self;
    int err = task_enter_wait(&self);
    if (err) return err;
    if (ev->is_set) return 0;
    return task_wait(self, &ev->waiters, NO_DEADLINE, NULL, NULL);
}
