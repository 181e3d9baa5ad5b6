/*
 * The driver interface (driver.h) over the core's waits: a driver's wait is
 * a task_wait() counted in loop->external_waiters while it lasts, and
 * deferred records are a list in the loop that dispatch_wakeups() (loop.c)
 * walks after every poll through the run_deferred hook, set by the first
 * driver_deferred_add(): a program without drivers links none of this.
 */
#include "internal.h"

int driver_wait_begin(asyncio_task_t **self) {
    int err = task_enter_wait(self);
    if (err) return err;
    return timer_heap_reserve(&(*self)->loop->timers, 1) ? -ENOMEM : 0;
}

/* The count covers the whole wait, whichever way it ends (a wake, an
 * interruption, the deadline): the waiting task itself keeps it. */
int driver_wait(asyncio_task_t *self, asyncio_waitq_t *q, uint64_t deadline_us,
                driver_interrupt_fn on_interrupt, void *data) {
    asyncio_loop_t *loop = self->loop;
    loop->external_waiters++;
    int result = task_wait(self, q, deadline_us, on_interrupt, data);
    loop->external_waiters--;
    return result;
}

void driver_wake(asyncio_task_t *t, int result) { task_wake(t, result); }

void *driver_wait_data(const asyncio_task_t *t) { return task_wait_data(t); }

asyncio_loop_t *driver_task_loop(const asyncio_task_t *t) { return t->loop; }

void driver_wake_all(asyncio_waitq_t *q, int result) {
    asyncio_task_t *t;
    while ((t = waitq_first(q)) != NULL) task_wake(t, result); /* leaves q */
}

struct port_loop *driver_loop_port(const asyncio_loop_t *loop) {
    return loop->port;
}

bool driver_loop_virtual_time(const asyncio_loop_t *loop) { return loop->virtual_time; }

int driver_wait_tasks(asyncio_task_t *self, bool unscoped, driver_interrupt_fn on_interrupt,
                      void *data) {
    if (unscoped) return task_wait_unscoped(self, on_interrupt, data);
    return task_wait(self, NULL, NO_DEADLINE, on_interrupt, data);
}

/* ---- deferred work ---------------------------------------------------------------- */

/* The loop's hook, after every poll: each pending record runs once. A
 * record's fn may remove its own record, so the next one is read first. */
static void run_deferred(asyncio_loop_t *loop) {
    driver_deferred_t *next;
    for (driver_deferred_t *d = loop->deferred; d; d = next) {
        next = d->next;
        if (port_atomic_swap(&d->pending, 0)) d->fn(d);
    }
}

void driver_deferred_add(asyncio_loop_t *loop, driver_deferred_t *d) {
    if (!loop || !d || d->loop == loop) return;
    if (d->loop) driver_deferred_remove(d->loop, d); /* one loop at a time */
    loop->run_deferred = run_deferred;
    d->next = loop->deferred;
    loop->deferred = d;
    port_atomic_store_ptr((void *volatile *)&d->loop, loop);
    driver_deferred_signal(d); /* it may have been signalled before it was added */
}

void driver_deferred_remove(asyncio_loop_t *loop, driver_deferred_t *d) {
    if (!loop || !d || d->loop != loop) return;
    port_atomic_store_ptr((void *volatile *)&d->loop, NULL);
    for (driver_deferred_t **link = &loop->deferred; *link; link = &(*link)->next) {
        if (*link == d) {
            *link = d->next;
            break;
        }
    }
    d->next = NULL;
}

/* pending before loop: the loop that runs after port_wake() sees it set. */
void driver_deferred_signal(driver_deferred_t *d) {
    port_atomic_swap(&d->pending, 1);
    asyncio_loop_t *loop = port_atomic_load_ptr((void *const volatile *)&d->loop);
    if (loop) port_wake(loop->port);
}
