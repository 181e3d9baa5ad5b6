/*
 * Waiting for other tasks: await, gather and task groups share one mechanism,
 * the join. A join takes its children over (they are then "consumed"), counts
 * those still running, and wakes its waiter when the count reaches zero. If
 * the waiter is cancelled or its timeout scope expires, the join forwards the
 * cancellation to every child once and keeps waiting: a child never outlives
 * the frame that handed it pointers.
 *
 * await and gather know their children (an array of the caller's); a group's
 * children are the loop's tasks that point at its join, found in creation
 * order when they must be cancelled or freed: that costs a walk over the
 * loop's tasks on those rare occasions instead of a link in every task.
 */
#include <string.h>

#include "internal.h"

void join_init(asyncio_join_t *j, enum join_fail_fast fail_fast) {
    memset(j, 0, sizeof *j);
    j->fail_fast = (uint8_t)fail_fast;
}

static bool join_counts_as_failure(const asyncio_join_t *j, int result) {
    if (result >= 0) return false;
    switch ((enum join_fail_fast)j->fail_fast) {
    case JOIN_CANCEL_ON_FAILURE:
        return true;
    case JOIN_CANCEL_ON_ERROR:
        return result != -ECANCELED; /* a group ignores cancellations */
    default:
        return false;
    }
}

static void join_cancel_children(asyncio_join_t *j, asyncio_loop_t *loop) {
    if (j->children) {
        for (size_t i = 0; i < j->n_children; i++) asyncio_task_cancel(j->children[i]);
        return;
    }
    for (asyncio_task_t *t = loop->all_first; t; t = t->all_next)
        if (t->join == j) asyncio_task_cancel(t);
}

/* A child ended (or was added already ended): a failure may cancel the rest. */
static void join_note_result(asyncio_join_t *j, asyncio_loop_t *loop, int result) {
    if (j->failing || !join_counts_as_failure(j, result)) return;
    j->failing = 1;
    j->first_error = result;
    join_cancel_children(j, loop);
}

/* A child of a join has ended (task.c calls it through the loop). */
static void join_child_done(asyncio_task_t *child) {
    asyncio_join_t *j = child->join;
    j->pending--;
    join_note_result(j, child->loop, child->result);
    asyncio_task_t *w = j->waiter;
    if (j->pending == 0 && w && task_wait_data(w) == j) task_wake(w, 0);
}

void join_add(asyncio_join_t *j, asyncio_task_t *child) {
    child->loop->join_child_done = join_child_done;
    child->join = j;
    child->run.flags |= TASK_IN_JOIN;
    if (child->run.state != TASK_DONE) j->pending++;
}

static void join_interrupted(asyncio_task_t *waiter, int reason) {
    asyncio_join_t *j = task_wait_data(waiter);
    if (j->interrupted) return; /* forwarded once */
    j->interrupted = reason;
    join_cancel_children(j, waiter->loop);
}

/* Suspends until every child has ended. Returns 0, or -ECANCELED /
 * -ETIMEDOUT if the waiter was interrupted (the children were cancelled and
 * have ended), or -ENOMEM if the scope's timer could not be armed (the
 * children were cancelled too). */
int join_wait(asyncio_task_t *self, asyncio_join_t *j) {
    asyncio_loop_t *loop = self->loop;
    int reason = task_interruption(loop, self);
    if (reason) {
        j->interrupted = reason;
        join_cancel_children(j, loop);
    }
    while (j->pending) {
        j->waiter = self;
        /* once interrupted, the scopes' timer is needed no more */
        int err = j->interrupted ? task_wait_unscoped(self, join_interrupted, j)
                                 : task_wait(self, NULL, NO_DEADLINE, join_interrupted, j);
        if (err < 0 && !j->interrupted) {
            j->interrupted = err;
            join_cancel_children(j, loop);
        }
    }
    j->waiter = NULL;
    return j->interrupted;
}

/* The checks every consuming call makes before taking a handle over. */
static bool joinable_by(const asyncio_task_t *t, const asyncio_task_t *self) {
    return t && t != self && t->loop == self->loop &&
           !(t->run.flags & (TASK_DETACHED | TASK_IN_JOIN));
}

/* ---- await --------------------------------------------------------------------- */

int asyncio_await(asyncio_task_t *t) {
    asyncio_task_t *self = task_current();
    if (!self) return -EPERM;
    if (!joinable_by(t, self)) return -EINVAL;
    asyncio_join_t j;
    join_init(&j, JOIN_WAIT_FOR_ALL);
    j.children = &t;
    j.n_children = 1;
    join_add(&j, t);
    int reason = join_wait(self, &j);
    int result = t->result;
    task_free(t);
    return reason ? reason : result;
}

/* ---- gather -------------------------------------------------------------------- */

/* Takes every task over if each is joinable by the caller and none comes
 * twice (a task taken over is no longer joinable); else leaves them all as
 * they were. O(n). */
static bool gather_take(asyncio_join_t *j, asyncio_task_t *const tasks[], size_t n,
                        const asyncio_task_t *self) {
    if (n && !tasks) return false;
    size_t taken = 0;
    while (taken < n && joinable_by(tasks[taken], self)) join_add(j, tasks[taken++]);
    if (taken == n) return true;
    for (size_t i = 0; i < taken; i++) {
        tasks[i]->run.flags &= (uint8_t)~TASK_IN_JOIN;
        tasks[i]->join = NULL;
    }
    return false;
}

int asyncio_gather(asyncio_task_t *const tasks[], size_t n, int results[], unsigned flags) {
    asyncio_task_t *self = task_current();
    if (!self) return -EPERM;
    asyncio_join_t j;
    join_init(&j, (flags & ASYNCIO_RETURN_EXCEPTIONS) ? JOIN_WAIT_FOR_ALL : JOIN_CANCEL_ON_FAILURE);
    if (!gather_take(&j, tasks, n, self)) return -EINVAL;
    j.children = tasks;
    j.n_children = n;
    for (size_t i = 0; i < n && !j.failing; i++)
        if (tasks[i]->run.state == TASK_DONE) join_note_result(&j, self->loop, tasks[i]->result);
    int reason = join_wait(self, &j);
    for (size_t i = 0; i < n; i++) {
        if (results) results[i] = tasks[i]->result;
        task_free(tasks[i]);
    }
    if (reason) return reason;
    return j.failing ? j.first_error : 0;
}
