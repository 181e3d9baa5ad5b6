/*
 * Tasks: switching, waiting and waking, sleeping, cancellation.
 *
 * A task that suspends hands the CPU straight to the next ready task of the
 * current pass (one switch), and to the loop's own stack only when the loop
 * has something to do: poll, fire timers, run a callback, start a pass that
 * cannot begin inline (see loop_pass_next_task).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

asyncio_task_t *asyncio_current_task(void) { return task_current(); }

/* ---- the switch ------------------------------------------------------------ */

/* A task's stack can only be released once something else runs on another
 * stack: a task that ends leaves itself in loop->ended, and whichever context
 * runs next (a task, or the loop) finishes it off. */
static void task_finished(asyncio_loop_t *loop, asyncio_task_t *t) {
    if (t->flags & TASK_OWNS_STACK) port_stack_free(&t->stack);
    t->flags &= (uint8_t)~TASK_OWNS_STACK;
    t->stack.size = 0;
    if (t->join) {
        join_child_done(t);
    } else if (t->flags & TASK_DETACHED) {
        loop_report_failure(loop, t);
        task_free(t);
    }
}

static void arrived(asyncio_loop_t *loop) {
    asyncio_task_t *ended = loop->ended;
    if (!ended) return;
    loop->ended = NULL;
    task_finished(loop, ended);
}

/* The first frame on every task's stack. */
static void task_entry(void *arg) {
    asyncio_task_t *self = arg;
    port_switch_end(NULL);
    arrived(self->loop);
    self->result = self->fn(self->arg);
    self->state = TASK_DONE;
    task_switch_out(self);
    abort(); /* a finished task is never resumed */
}

/* Makes t the running task; the caller switches to it next. */
static void task_enter(asyncio_loop_t *loop, asyncio_task_t *t) {
    if (t->state == TASK_NEW) arch_context_make(&t->ctx, t->stack.lo, t->stack.size, task_entry, t);
    t->state = TASK_RUNNING;
    loop->current = t;
}

/* Leaves the running task for the next task of this pass if there is one (a
 * single switch), else for the loop. Returns when the task is resumed. */
void task_switch_out(asyncio_task_t *self) {
    asyncio_loop_t *loop = self->loop;
    bool ending = self->state == TASK_DONE;
    if (ending) loop->ended = self;
    loop_step_done(loop, self);
    asyncio_task_t *next = loop_pass_next_task(loop);
    void *save = NULL;
    /* port_switch_begin first: it checks the stack being left, under its name */
    if (next) {
        port_switch_begin(&save, &next->stack, next->name, ending);
        task_enter(loop, next);
        arch_switch(&self->ctx, &next->ctx);
    } else {
        port_switch_begin(&save, NULL, NULL, ending);
        loop->current = NULL;
        arch_switch(&self->ctx, &loop->loop_ctx);
    }
    port_switch_end(save);
    arrived(loop);
}

void task_run(asyncio_loop_t *loop, asyncio_task_t *t) {
    if (t->state == TASK_NEW && (t->flags & TASK_CANCEL_REQUESTED)) {
        t->result = -ECANCELED; /* cancelled before it started: the body never runs */
        t->state = TASK_DONE;
        task_finished(loop, t);
        return;
    }
    void *save = NULL;
    port_switch_begin(&save, &t->stack, t->name, false);
    task_enter(loop, t);
    arch_switch(&loop->loop_ctx, &t->ctx);
    port_switch_end(save);
    arrived(loop);
}

/* ---- waiting and waking ------------------------------------------------------ */

uint64_t task_scope_deadline(const asyncio_task_t *t) {
    uint64_t deadline = NO_DEADLINE;
    for (const asyncio_timeout_t *s = t->scope; s; s = s->outer)
        if (s->deadline_us < deadline) deadline = s->deadline_us;
    return deadline;
}

int task_scope_check(asyncio_task_t *t) {
    return loop_now(t->loop) >= task_scope_deadline(t) ? -ETIMEDOUT : 0;
}

int task_wait(asyncio_task_t *self, asyncio_waitq_t *q, uint64_t deadline,
              wait_interrupt_fn on_interrupt, void *wait_data) {
    uint64_t scope = self->scope ? task_scope_deadline(self) : NO_DEADLINE;
    uint64_t when = deadline;
    self->flags &= (uint8_t)~TASK_TIMER_IS_SCOPE;
    if (scope != NO_DEADLINE && scope <= deadline) { /* on a tie the scope wins */
        when = scope;
        self->flags |= TASK_TIMER_IS_SCOPE;
    }
    if (when != NO_DEADLINE) {
        int err = timer_heap_push(self->loop, &self->timer, when);
        if (err) return err;
    }
    if (q) waitq_push(q, self);
    self->on_interrupt = on_interrupt;
    self->wait_data = wait_data;
    self->wake_result = 0;
    self->state = TASK_WAITING;
    task_switch_out(self);
    return self->wake_result;
}

void task_wake(asyncio_task_t *t, int result) {
    if (t->state != TASK_WAITING) return;
    if (t->waitq) waitq_remove(t->waitq, t);
    timer_heap_remove(t->loop, &t->timer);
    t->wake_result = result;
    t->on_interrupt = NULL;
    t->wait_data = NULL;
    t->state = TASK_READY;
    loop_make_ready(t->loop, &t->run);
}

static void task_interrupt(asyncio_task_t *t, int reason) {
    if (t->on_interrupt)
        t->on_interrupt(t, reason);
    else
        task_wake(t, reason);
}

void task_timer_fired(asyncio_task_t *t) {
    if (t->flags & TASK_TIMER_IS_SCOPE)
        task_interrupt(t, -ETIMEDOUT);
    else
        task_wake(t, 0);
}

/* ---- sleeping ---------------------------------------------------------------- */

int asyncio_yield(void) {
    asyncio_task_t *self;
    int err = task_enter_wait(&self);
    if (err) return err;
    self->wake_result = 0;
    self->state = TASK_READY;
    loop_make_ready(self->loop, &self->run);
    task_switch_out(self);
    return self->wake_result;
}

int asyncio_sleep_us(uint64_t us) {
    if (us == 0) return asyncio_yield();
    asyncio_task_t *self;
    int err = task_enter_wait(&self);
    if (err) return err;
    return task_wait(self, NULL, loop_deadline_after(self->loop, us), NULL, NULL);
}

int asyncio_sleep_ms(uint32_t ms) { return asyncio_sleep_us((uint64_t)ms * 1000u); }

int asyncio_sleep_until_us(uint64_t deadline_us) {
    asyncio_task_t *self;
    int err = task_enter_wait(&self);
    if (err) return err;
    if (deadline_us <= loop_now(self->loop)) return asyncio_yield();
    return task_wait(self, NULL, deadline_us, NULL, NULL);
}

/* ---- cancellation and inspection --------------------------------------------- */

bool asyncio_task_cancel(asyncio_task_t *t) {
    if (!t || t->state == TASK_DONE) return false;
    t->flags |= TASK_CANCEL_REQUESTED;
    if (t->state == TASK_WAITING) task_interrupt(t, -ECANCELED);
    return true;
}

void asyncio_task_uncancel(asyncio_task_t *t) {
    if (t) t->flags &= (uint8_t)~TASK_CANCEL_REQUESTED;
}

bool asyncio_task_done(const asyncio_task_t *t) { return t && t->state == TASK_DONE; }

bool asyncio_task_cancelled(const asyncio_task_t *t) {
    return t && t->state == TASK_DONE && t->result == -ECANCELED;
}

int asyncio_task_result(const asyncio_task_t *t) {
    if (!t) return -EINVAL;
    return t->state == TASK_DONE ? t->result : -EINPROGRESS;
}

const char *asyncio_task_name(const asyncio_task_t *t) { return t ? t->name : NULL; }

void asyncio_task_detach(asyncio_task_t *t) {
    if (!t || (t->flags & (TASK_DETACHED | TASK_IN_JOIN))) return;
    if (t->state == TASK_DONE) {
        loop_report_failure(t->loop, t);
        task_free(t);
        return;
    }
    t->flags |= TASK_DETACHED;
}
