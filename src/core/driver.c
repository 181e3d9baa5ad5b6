/*
 * The driver interface (driver.h) over the core's waits: a driver's wait is
 * a task_wait() counted in loop->external_waiters while it lasts, and
 * deferred records are a list in the loop that dispatch_wakeups() (loop.c)
 * walks after every poll through the run_deferred hook, set by the first
 * driver_deferred_add(): a program without drivers links none of this.
 */
#include "internal.h"

/* Nothing to reserve: every task claimed its timer's heap slot when it was
 * created (task_create), so a wait never fails for memory. */
int driver_wait_begin(asyncio_task_t **self) { return task_enter_wait(self); }

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

bool driver_loop_virtual_time(const asyncio_loop_t *loop) { return loop_virtual_time(loop); }

int driver_wait_tasks(asyncio_task_t *self, bool unscoped, driver_interrupt_fn on_interrupt,
                      void *data) {
    if (unscoped) return task_wait_unscoped(self, on_interrupt, data);
    return task_wait(self, NULL, NO_DEADLINE, on_interrupt, data);
}

/* ---- deferred work ---------------------------------------------------------------- */

/* The hand-overs of interrupt handlers, taken in one critical section and
 * woken in the order they came (the list has the latest first). A call of
 * its own: the hook that calls it then keeps few registers. */
NOINLINE static void wake_handed_over(asyncio_loop_t *loop) {
    uint32_t state = port_critical_enter();
    driver_isr_wake_t *w = atomic_load_explicit(&loop->isr_woken, memory_order_relaxed);
    driver_isr_wake_t *in_order = NULL;
    atomic_store_explicit(&loop->isr_woken, NULL, memory_order_relaxed);
    if (!w->next) { /* one (the hook saw it; only the loop takes them away): as it is */
        w->pending = false;
        in_order = w;
        w = NULL;
    }
    while (w) {
        driver_isr_wake_t *later = w->next;
        w->pending = false;
        w->next = in_order;
        in_order = w;
        w = later;
    }
    port_critical_exit(state);
    for (w = in_order; w; w = w->next) task_wake_inline(w->task, w->result); /* w stays: its task waits */
}

/* Each pending record runs once. A record's fn may remove its own record,
 * so the next one is read first. */
HOT_INLINE void run_pending_records(asyncio_loop_t *loop) {
    driver_deferred_t *next;
    for (driver_deferred_t *d = loop->deferred; d; d = next) {
        next = d->next;
        if (port_atomic_swap(&d->pending, 0)) d->fn(d);
    }
}

/* The loop's hook, after every poll, while no interrupt handler hands tasks
 * over: the deferred records. */
static void run_deferred(asyncio_loop_t *loop) { run_pending_records(loop); }

/* The hook once a wait has been bound to a hand-over (driver_isr_wake_init,
 * which links it: drivers that only signal records do not): the tasks
 * handed over are woken, then the deferred records run. */
static void run_handed_over_and_deferred(asyncio_loop_t *loop) {
    /* relaxed: only whether to look; the list is taken in the critical section */
    if (atomic_load_explicit(&loop->isr_woken, memory_order_relaxed)) wake_handed_over(loop);
    run_pending_records(loop);
}

void driver_deferred_add(asyncio_loop_t *loop, driver_deferred_t *d) {
    if (!loop || !d || d->loop == loop) return;
    if (d->loop) driver_deferred_remove(d->loop, d); /* one loop at a time */
    if (!loop->run_deferred) loop->run_deferred = run_deferred; /* else it runs them already */
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

/* ---- a wake from an interrupt handler ------------------------------------------------ */

void driver_isr_wake_init(driver_isr_wake_t *w, asyncio_task_t *task) {
    w->next = NULL;
    w->task = task;
    w->loop = task->loop;
    w->result = 0;
    w->pending = false;
    task->loop->run_deferred = run_handed_over_and_deferred;
}

/* w's task handed over, in the caller's critical section; returns the
 * loop's port, to be woken (loaded once for the look at the poll too).
 * While the loop waits in a quiet poll (port.h's port_poll_quiet) with no
 * hand-over before this one, the task joins the ready queue at once, where
 * the loop would put it right after the poll: the loop then only has to run
 * it. Otherwise w joins the loop's list. */
HOT_INLINE struct port_loop *hand_over(driver_isr_wake_t *w, int result) {
    asyncio_loop_t *loop = w->loop;
    struct port_loop *port = loop->port;
    if (port_poll_quiet(port) && !atomic_load_explicit(&loop->isr_woken, memory_order_relaxed)) {
        task_wake_on(loop, w->task, result);
        return port;
    }
    w->result = result;
    if (!w->pending) {
        w->pending = true;
        w->next = atomic_load_explicit(&loop->isr_woken, memory_order_relaxed);
        atomic_store_explicit(&loop->isr_woken, w, memory_order_relaxed);
    }
    return port;
}

void driver_isr_wake_masked(driver_isr_wake_t *w, int result) { port_wake(hand_over(w, result)); }

void driver_isr_wake(driver_isr_wake_t *w, int result) {
    uint32_t state = port_critical_enter();
    struct port_loop *port = hand_over(w, result);
    port_critical_exit(state);
    port_wake(port);
}

void driver_isr_wake_withdraw(driver_isr_wake_t *w) {
    asyncio_loop_t *loop = w->loop;
    uint32_t state = port_critical_enter();
    if (w->pending) {
        driver_isr_wake_t *first = atomic_load_explicit(&loop->isr_woken, memory_order_relaxed);
        if (first == w) {
            atomic_store_explicit(&loop->isr_woken, w->next, memory_order_relaxed);
        } else {
            driver_isr_wake_t *before = first;
            while (before->next != w) before = before->next;
            before->next = w->next;
        }
        w->pending = false;
    }
    port_critical_exit(state);
}
