/*
 * Wait queues: intrusive doubly linked FIFOs of waits. A wait lives in the
 * frame of the waiting call (task_wait), so queuing never allocates and a
 * cancelled waiter leaves in O(1). A zeroed queue is empty, which lets every
 * primitive have a static initialiser.
 */
#include "internal.h"

void waitq_push(asyncio_waitq_t *q, struct asyncio_wait *w) {
    w->next = NULL;
    w->prev = q->last;
    if (q->last)
        q->last->next = w;
    else
        q->first = w;
    q->last = w;
    w->queue = q;
}

void waitq_remove(asyncio_waitq_t *q, struct asyncio_wait *w) {
    if (w->prev)
        w->prev->next = w->next;
    else
        q->first = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        q->last = w->prev;
    w->prev = w->next = NULL;
    w->queue = NULL;
}
