/*
 * rp2_bus_t: a FIFO of waiting tasks, each record on its task's stack.
 */
#include "rp2_bus.h"

struct rp2_bus_waiter {
    asyncio_task_t *task;
    struct rp2_bus_waiter *next;
    rp2_bus_t *bus;
};

/* Cancelled or timed out while waiting: out of the queue. */
static void waiter_interrupted(asyncio_task_t *t, int reason) {
    struct rp2_bus_waiter *w = driver_wait_data(t);
    rp2_bus_t *b = w->bus;
    struct rp2_bus_waiter **link = &b->head, *prev = NULL;
    while (*link && *link != w) {
        prev = *link;
        link = &(*link)->next;
    }
    if (*link) {
        *link = w->next;
        if (b->tail == w) b->tail = prev;
    }
    driver_wake(t, reason);
}

int rp2_bus_acquire(rp2_bus_t *b) {
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err) return err;
    if (!b->busy) {
        b->busy = true;
        return 0;
    }
    struct rp2_bus_waiter w = {self, NULL, b};
    if (b->tail)
        b->tail->next = &w;
    else
        b->head = &w;
    b->tail = &w;
    return driver_wait(self, NULL, DRIVER_NO_DEADLINE, waiter_interrupted, &w);
}

int rp2_bus_acquire_for_transfer(rp2_bus_t *b, driver_deferred_t *done, asyncio_task_t **self) {
    int err = rp2_bus_acquire(b);
    if (err) return err;
    err = driver_wait_begin(self);
    if (err) {
        rp2_bus_release(b);
        return err;
    }
    driver_deferred_add(driver_task_loop(*self), done);
    return 0;
}

void rp2_bus_release(rp2_bus_t *b) {
    struct rp2_bus_waiter *w = b->head;
    if (!w) {
        b->busy = false;
        return;
    }
    b->head = w->next;
    if (!b->head) b->tail = NULL;
    driver_wake(w->task, 0); /* the bus stays busy: it is now w's */
}
