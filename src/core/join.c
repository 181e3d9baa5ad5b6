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
#include <stdlib.h>
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
 * have ended). */
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
        if (j->interrupted)
            task_wait_unscoped(self, join_interrupted, j);
        else
            task_wait(self, NULL, NO_DEADLINE, join_interrupted, j);
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

/* The join of an await or a gather, with its list of children: in the
 * caller's frame, or, for a shared-stack task (whose frames are elsewhere
 * while it waits, task_shared.c), on the heap. NULL: out of memory. */
struct join_record {
    asyncio_join_t join;
    asyncio_task_t *children[];
};

static asyncio_join_t *join_make(asyncio_task_t *self, asyncio_join_t *in_frame,
                                 enum join_fail_fast fail_fast, asyncio_task_t *const tasks[],
                                 size_t n) {
    asyncio_join_t *j = in_frame;
    if (task_on_shared_stack(self)) {
        if (n > (SIZE_MAX - sizeof(struct join_record)) / sizeof(asyncio_task_t *)) return NULL;
        struct join_record *r = PORT_MALLOC(sizeof *r + n * sizeof r->children[0]);
        if (!r) return NULL;
        if (n) memcpy(r->children, tasks, n * sizeof r->children[0]);
        j = &r->join;
        tasks = r->children;
    }
    join_init(j, fail_fast);
    j->children = tasks;
    j->n_children = n;
    return j;
}

static void join_unmake(const asyncio_task_t *self, asyncio_join_t *j) {
    if (task_on_shared_stack(self)) PORT_FREE(j); /* (compiled away where no task is one) */
}

int asyncio_await(asyncio_task_t *t) {
    asyncio_task_t *self = task_current();
    if (!self) return -EPERM;
    if (!joinable_by(t, self)) return -EINVAL;
    asyncio_join_t in_frame;
    asyncio_join_t *j = join_make(self, &in_frame, JOIN_WAIT_FOR_ALL, &t, 1);
    if (!j) return -ENOMEM;
    join_add(j, t);
    int reason = join_wait(self, j);
    join_unmake(self, j);
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
    if (n && !tasks) return -EINVAL;
    asyncio_join_t in_frame;
    asyncio_join_t *j = join_make(
        self, &in_frame,
        (flags & ASYNCIO_RETURN_EXCEPTIONS) ? JOIN_WAIT_FOR_ALL : JOIN_CANCEL_ON_FAILURE, tasks, n);
    if (!j) return -ENOMEM;
    if (!gather_take(j, tasks, n, self)) {
        join_unmake(self, j);
        return -EINVAL;
    }
    for (size_t i = 0; i < n && !j->failing; i++)
        if (tasks[i]->run.state == TASK_DONE) join_note_result(j, self->loop, tasks[i]->result);
    int reason = join_wait(self, j);
    int failure = j->failing ? j->first_error : 0;
    join_unmake(self, j);
    for (size_t i = 0; i < n; i++) {
        if (results) results[i] = tasks[i]->result;
        task_free(tasks[i]);
    }
    return reason ? reason : failure;
}
