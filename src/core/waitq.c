/*
 * Wait queues: intrusive doubly linked FIFOs of tasks. The links live in the
 * task (a task waits on one queue at a time), so queuing never allocates and
 * a cancelled waiter leaves in O(1). A zeroed queue is empty, which lets every
 * primitive have a static initialiser.
 */
#include "internal.h"

void waitq_push(asyncio_waitq_t *q, asyncio_task_t *t) {
    t->wait_next = NULL;
    t->wait_prev = q->last;
    if (q->last)
        q->last->wait_next = t;
    else
        q->first = t;
    q->last = t;
    t->waitq = q;
}

void waitq_remove(asyncio_waitq_t *q, asyncio_task_t *t) {
    if (t->wait_prev)
        t->wait_prev->wait_next = t->wait_next;
    else
        q->first = t->wait_next;
    if (t->wait_next)
        t->wait_next->wait_prev = t->wait_prev;
    else
        q->last = t->wait_prev;
    t->wait_prev = t->wait_next = NULL;
    t->waitq = NULL;
}

asyncio_task_t *waitq_pop(asyncio_waitq_t *q) {
    asyncio_task_t *t = q->first;
    if (t) waitq_remove(q, t);
    return t;
}
