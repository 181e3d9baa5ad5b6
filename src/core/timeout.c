/*
 * Timeout scopes and wait_for. A scope is a deadline on the caller's stack,
 * linked into the task's chain of scopes; task_wait() arms the task's timer
 * for the earlier of its own deadline and the chain's, and an expired scope
 * turns every suspending call into -ETIMEDOUT until it is exited.
 */
#include "internal.h"

void asyncio_timeout_enter_at_us(asyncio_timeout_t *scope, uint64_t deadline_us) {
    if (!scope) return;
    asyncio_task_t *self = task_current();
    scope->task = self;
    scope->outer = NULL;
    scope->deadline_us = deadline_us;
    if (!self) return;
    scope->outer = self->scope;
    self->scope = scope;
}

void asyncio_timeout_enter_ms(asyncio_timeout_t *scope, uint32_t ms) {
    asyncio_task_t *self = task_current();
    uint64_t now = self ? loop_now(self->loop) : 0;
    asyncio_timeout_enter_at_us(scope, now + (uint64_t)ms * 1000u);
}

bool asyncio_timeout_exit(asyncio_timeout_t *scope) {
    if (!scope || !scope->task) return false;
    asyncio_task_t *self = scope->task;
    bool expired = loop_now(self->loop) >= scope->deadline_us;
    /* Unlink, even if inner scopes were left without exit. */
    for (asyncio_timeout_t **link = &self->scope; *link; link = &(*link)->outer) {
        if (*link == scope) {
            self->scope = scope->outer;
            break;
        }
    }
    scope->task = NULL;
    return expired;
}

int asyncio_wait_for_us(asyncio_task_t *t, uint64_t timeout_us) {
    asyncio_task_t *self = task_current();
    if (!self) return -EPERM;
    if (!t || t == self || t->loop != self->loop) return -EINVAL;
    asyncio_timeout_t scope;
    asyncio_timeout_enter_at_us(&scope, loop_deadline_after(self->loop, timeout_us));
    int result = asyncio_await(t); /* -ETIMEDOUT once t was cancelled and ended */
    asyncio_timeout_exit(&scope);
    return result;
}

int asyncio_wait_for_ms(asyncio_task_t *t, uint32_t timeout_ms) {
    return asyncio_wait_for_us(t, (uint64_t)timeout_ms * 1000u);
}
