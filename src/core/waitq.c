/*
 * Wait queues: intrusive doubly linked FIFOs of waits. A wait lives in the
 * frame of the waiting call (task_wait), so queuing never allocates and a
 * cancelled waiter leaves in O(1), through the function its queuing stored
 * in it (task_wake calls it: a program whose waits never queue does not link
 * this file). A zeroed queue is empty, which lets every primitive have a
 * static initialiser.
 */
#include "internal.h"

static void waitq_remove(struct asyncio_wait *w) {
    asyncio_waitq_t *q = w->queue;
    if (w->prev)
        w->prev->next = w->next;
    else
        q->first = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        q->last = w->prev;
    w->prev = w->next = NULL;
    w->leave_queue = NULL;
}

void waitq_push(asyncio_waitq_t *q, struct asyncio_wait *w) {
    w->next = NULL;
    w->prev = q->last;
    if (q->last)
        q->last->next = w;
    else
        q->first = w;
    q->last = w;
    w->queue = q;
    w->leave_queue = waitq_remove;
}
