/* Until src/core/driver.h exists: see driver_shim.h. */
#include "driver_shim.h"

#include "../../core/internal.h"

struct shim_wait {
    driver_interrupt_fn on_interrupt;
    void *data;
};

int driver_wait_begin(asyncio_task_t **self) {
    int err = task_enter_wait(self);
    if (err) return err;
    return timer_heap_reserve(&(*self)->loop->timers, 1) ? -ENOMEM : 0;
}

static void shim_interrupted(asyncio_task_t *t, int reason) {
    struct shim_wait *w = t->wait->data;
    if (w->on_interrupt)
        w->on_interrupt(t, reason);
    else
        task_wake(t, reason);
}

int driver_wait(asyncio_task_t *self, asyncio_waitq_t *q, uint64_t deadline_us,
                driver_interrupt_fn on_interrupt, void *data) {
    struct shim_wait w = {on_interrupt, data};
    self->loop->external_waiters++; /* counted while it waits, whoever ends the wait */
    int r = task_wait(self, q, deadline_us, shim_interrupted, &w);
    self->loop->external_waiters--;
    return r;
}

void driver_wake(asyncio_task_t *t, int result) { task_wake(t, result); }

void *driver_wait_data(const asyncio_task_t *t) {
    struct shim_wait *w = task_wait_data(t);
    return w ? w->data : NULL;
}

asyncio_loop_t *driver_task_loop(const asyncio_task_t *t) { return t->loop; }
