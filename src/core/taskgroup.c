/*
 * Task groups: structured concurrency. A group is a join that children enter
 * as they are created; the first failure cancels the others (in creation
 * order), and wait() returns once all have ended, then frees them. The
 * children are the loop's tasks whose join is the group's (join.c).
 */
#include <string.h>

#include "internal.h"

void asyncio_taskgroup_init(asyncio_taskgroup_t *g) {
    if (!g) return;
    memset(g, 0, sizeof *g);
    g->join.fail_fast = JOIN_CANCEL_ON_ERROR;
}

asyncio_task_t *asyncio_taskgroup_create_task_ex(asyncio_taskgroup_t *g, asyncio_coro_fn fn,
                                                 void *arg, const asyncio_task_opts_t *opts) {
    if (!g) {
        errno = EINVAL;
        return NULL;
    }
    if (g->join.failing) {
        errno = ECANCELED;
        return NULL;
    }
    asyncio_task_t *t = task_create(loop_default(), fn, arg, opts);
    if (!t) return NULL;
    join_add(&g->join, t);
    if (g->join.interrupted) asyncio_task_cancel(t); /* the waiter is being cancelled */
    return t;
}

asyncio_task_t *asyncio_taskgroup_create_task(asyncio_taskgroup_t *g, asyncio_coro_fn fn,
                                              void *arg) {
    return asyncio_taskgroup_create_task_ex(g, fn, arg, NULL);
}

int asyncio_taskgroup_wait(asyncio_taskgroup_t *g) {
    asyncio_task_t *self = task_current();
    if (!self) return -EPERM;
    if (!g || g->join.waiter) return -EINVAL; /* one waiter at a time */
    int reason = join_wait(self, &g->join);
    int failure = g->join.failing ? g->join.first_error : 0;
    for (asyncio_task_t *t = self->loop->all_first, *next; t; t = next) {
        next = t->all_next;
        if (t->join == &g->join) task_free(t);
    }
    asyncio_taskgroup_init(g);
    return reason ? reason : failure;
}
