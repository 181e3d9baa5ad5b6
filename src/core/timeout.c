/*
 * Timeout scopes and wait_for. A scope is a deadline on the caller's stack,
 * linked into the running task's chain of scopes (loop->scope, kept in
 * task_switch_out's frame while the task is suspended); task_wait() arms the
 * task's timer for the earlier of its own deadline and the chain's, and an
 * expired scope turns every suspending call into -ETIMEDOUT until it is
 * exited.
 */
#include <stdlib.h>

#include "internal.h"

/* A scope of the running task must not lie in the dead part of its stack,
 * below `here` (the caller's frame, deeper than any frame holding a live
 * scope), and must still name the task. One entered in a function that
 * returned without asyncio_timeout_exit fails this when the task suspends
 * from a shallower frame, or once other frames have overwritten it: the
 * program stops with one line naming the task rather than follow whatever
 * the memory holds now. (A scope outside the task's stack, where a
 * sanitizer may move locals, is judged by its task alone.) */
static void scope_check_live(asyncio_loop_t *loop, const asyncio_timeout_t *s, uintptr_t here) {
    asyncio_task_t *t = loop->current;
    uintptr_t at = (uintptr_t)s;
    bool in_dead_frame = t && at >= (uintptr_t)port_stack_lo(t->stack) && at <= here;
    if (t && !in_dead_frame && s->task == t) return;
    char name[16];
    report("casyncio: task '%s' left a timeout scope behind: a function returned without "
           "asyncio_timeout_exit\n",
           t ? report_task_name(t, name) : "?");
    abort();
}

/* A wait's timer set for its task's timeout scope has come. */
static void scope_timer_fired(asyncio_loop_t *loop, struct timer *timer) {
    (void)loop;
    task_interrupt(wait_of_timer(timer)->task, -ETIMEDOUT);
}

/* The loop's hook: whether the running task's scopes end at or before
 * *when, or now when it is NULL (their earliest deadline replaces *when). */
static timer_fire_fn scope_ends_by(asyncio_loop_t *loop, uint64_t *when) {
    uint64_t deadline = NO_DEADLINE, now;
    uintptr_t here = (uintptr_t)FRAME_ADDRESS();
    for (const asyncio_timeout_t *s = loop->scope; s; s = s->outer) {
        scope_check_live(loop, s, here);
        if (s->deadline_us < deadline) deadline = s->deadline_us;
    }
    if (!when) {
        now = loop_now(loop);
        when = &now;
    }
    if (deadline == NO_DEADLINE || deadline > *when) return NULL;
    *when = deadline;
    return scope_timer_fired;
}

void asyncio_timeout_enter_at_us(asyncio_timeout_t *scope, uint64_t deadline_us) {
    if (!scope) return;
    asyncio_task_t *self = task_current();
    scope->task = self;
    scope->outer = NULL;
    scope->deadline_us = deadline_us;
    if (!self) return;
    scope->outer = self->loop->scope;
    self->loop->scope_ends_by = scope_ends_by;
    self->loop->scope = scope;
}

void asyncio_timeout_enter_ms(asyncio_timeout_t *scope, uint32_t ms) {
    asyncio_task_t *self = task_current();
    uint64_t now = self ? loop_now(self->loop) : 0;
    asyncio_timeout_enter_at_us(scope, now + us_from_ms(ms));
}

/* Only the running task can exit its scopes (they are on its stack). */
bool asyncio_timeout_exit(asyncio_timeout_t *scope) {
    if (!scope || !scope->task) return false;
    asyncio_task_t *self = scope->task;
    bool expired = loop_now(self->loop) >= scope->deadline_us;
    scope->task = NULL;
    if (self != task_current()) return expired;
    /* Unlink, even if inner scopes of this frame were left without exit. */
    asyncio_loop_t *loop = self->loop;
    uintptr_t here = (uintptr_t)FRAME_ADDRESS();
    for (asyncio_timeout_t *s = loop->scope; s; s = s->outer) {
        if (s != scope) scope_check_live(loop, s, here);
        if (s == scope) {
            loop->scope = scope->outer;
            break;
        }
    }
    return expired;
}

int asyncio_timeout_call_ms(uint32_t ms, asyncio_coro_fn fn, void *arg) {
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, ms);
    int result = fn(arg);
    asyncio_timeout_exit(&scope);
    return result;
}

int asyncio_wait_for_us(asyncio_task_t *t, uint64_t timeout_us) {
    asyncio_task_t *self = task_current();
    if (!self) return -EPERM;
    if (!t || t == self || t->loop != self->loop) return -EINVAL;
    if (t->run.state == TASK_DONE) return asyncio_await(t); /* nothing to wait for: no timeout */
    asyncio_timeout_t scope;
    asyncio_timeout_enter_at_us(&scope, loop_deadline_after(self->loop, timeout_us));
    int result = asyncio_await(t); /* -ETIMEDOUT once t was cancelled and ended */
    asyncio_timeout_exit(&scope);
    return result;
}

int asyncio_wait_for_ms(asyncio_task_t *t, uint32_t timeout_ms) {
    return asyncio_wait_for_us(t, us_from_ms(timeout_ms));
}
