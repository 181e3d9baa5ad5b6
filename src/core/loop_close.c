/*
 * The end of a loop: cancel what is left, let it unwind, free everything.
 * And asyncio_run(), which is a loop from creation to close around one task.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Cancels every task that has not ended, in creation order, each once: a
 * task that uncancels itself to clean up is left to run on. Returns how many
 * are still pending. */
static size_t cancel_pending(asyncio_loop_t *loop) {
    size_t pending = 0;
    for (asyncio_task_t *t = loop->all_first; t; t = t->all_next) {
        if (t->run.state == TASK_DONE) continue;
        pending++;
        if (t->run.flags & TASK_CLOSE_CANCELLED) continue;
        t->run.flags |= TASK_CLOSE_CANCELLED;
        if (!(t->run.flags & TASK_CANCEL_REQUESTED)) asyncio_task_cancel(t);
    }
    return pending;
}

static void free_pending_callbacks(asyncio_loop_t *loop) {
    while (loop->ready_head) {
        struct runnable *r = loop->ready_head;
        loop->ready_head = r->next;
        if (r->kind == RUNNABLE_CALLBACK) PORT_FREE(r);
    }
    loop_ready_clear(loop);
    for (uint32_t i = 0; i < loop->timers.len; i++) {
        struct timer *t = timer_heap_timer_at(&loop->timers, i);
        if (t->fire == loop_callback_fired) PORT_FREE((char *)t - offsetof(struct callback, timer));
    }
    loop->timers.len = 0;
}

/* Runs the loop until every task has ended. A task that uncancels itself and
 * runs on keeps this waiting; one that could never wake again (virtual time)
 * is given up on and its stack freed with it. */
static void unwind_tasks(asyncio_loop_t *loop) {
    if (!loop_enter(loop)) return;
    while (cancel_pending(loop) > 0)
        if (loop_run_once(loop) == -EDEADLK) break;
    loop_leave(loop);
}

/* A closed loop's record stays valid, so that a late call on the handle
 * fails cleanly with -EINVAL instead of touching freed memory. Everything
 * else is freed at close; the records themselves at exit. The list is the
 * process's (loops close in any thread), guarded by the port's critical
 * section. */
static asyncio_loop_t *closed_loops;

static void free_closed_loops(void) {
    while (closed_loops) {
        asyncio_loop_t *next = closed_loops->next_closed;
        PORT_FREE(closed_loops);
        closed_loops = next;
    }
}

static void keep_closed_record(asyncio_loop_t *loop) {
    static bool registered;
    memset(loop, 0, sizeof *loop);
    loop->closed = true;
    uint32_t state = port_critical_enter();
    if (!registered) registered = atexit(free_closed_loops) == 0;
    loop->next_closed = closed_loops;
    closed_loops = loop;
    port_critical_exit(state);
}

void asyncio_loop_close(asyncio_loop_t *loop) {
    if (!loop || loop->closed || loop_running()) return;
    loop->closing = true;
    unwind_tasks(loop);
    loop->closed = true;
    free_pending_callbacks(loop); /* and unqueues failed tasks not yet reported */
    while (loop->all_first) {
        asyncio_task_t *t = loop->all_first;
        if (!(t->run.flags & TASK_IN_JOIN)) loop_report_failure(loop, t);
        task_free(t);
    }
    task_free_spare_records(loop);
    while (loop->deferred)
        driver_deferred_remove(loop, loop->deferred); /* a later signal finds no loop */
    port_loop_close(loop->port);
    timer_heap_release(&loop->timers);
    loop_forget(loop);
    keep_closed_record(loop);
}

int asyncio_run(asyncio_coro_fn main, void *arg) {
    if (!main) return -EINVAL;
    if (loop_running()) return -EPERM;
    asyncio_loop_t *loop = asyncio_new_event_loop();
    if (!loop) return -ENOMEM;
    asyncio_task_t *t = asyncio_loop_create_task(loop, main, arg);
    if (!t) {
        asyncio_loop_close(loop);
        return -ENOMEM;
    }
    int result = asyncio_loop_run_until_complete(loop, t);
    asyncio_loop_close(loop);
    return result;
}
