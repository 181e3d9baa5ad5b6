/*
 * Task records and stacks: where they come from and where they go.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

_Static_assert(sizeof(asyncio_task_t) <= ASYNCIO_TASK_STORAGE_SIZE,
               "ASYNCIO_TASK_STORAGE_SIZE is too small for the task record");

/* "task-N": 5 + at most 6 digits fit the 12 bytes kept for it. */
static void name_from_id(char out[12], uint32_t id) {
    char digits[11];
    const char *n = report_u32(digits, id);
    size_t len = strlen(n);
    if (len > 6) len = 6; /* past a million tasks, the first six digits */
    memcpy(out, "task-", 5);
    memcpy(out + 5, n, len);
    out[5 + len] = '\0';
}

static int task_stack_setup(asyncio_task_t *t, const asyncio_task_opts_t *opts) {
    size_t size = opts && opts->stack_size ? opts->stack_size : ASYNCIO_DEFAULT_STACK;
    if (opts && opts->stack) {
        port_stack_adopt(&t->stack, opts->stack, size);
        return 0;
    }
    int err = port_stack_alloc(&t->stack, size);
    if (err) return err;
    t->flags |= TASK_OWNS_STACK;
    return 0;
}

static void all_tasks_append(asyncio_loop_t *loop, asyncio_task_t *t) {
    t->all_next = NULL;
    t->all_prev = loop->all_last;
    if (loop->all_last)
        loop->all_last->all_next = t;
    else
        loop->all_first = t;
    loop->all_last = t;
}

static void all_tasks_remove(asyncio_loop_t *loop, asyncio_task_t *t) {
    if (t->all_prev)
        t->all_prev->all_next = t->all_next;
    else
        loop->all_first = t->all_next;
    if (t->all_next)
        t->all_next->all_prev = t->all_prev;
    else
        loop->all_last = t->all_prev;
}

asyncio_task_t *task_create(asyncio_loop_t *loop, asyncio_coro_fn fn, void *arg,
                            const asyncio_task_opts_t *opts) {
    if (!loop || !fn || loop->closed ||
        (opts && opts->stack_size && opts->stack_size < ASYNCIO_MIN_STACK) ||
        (opts && opts->stack && !opts->stack_size)) {
        errno = EINVAL;
        return NULL;
    }
    asyncio_task_t *t = opts && opts->storage ? opts->storage : malloc(sizeof *t);
    if (!t) {
        errno = ENOMEM;
        return NULL;
    }
    memset(t, 0, sizeof *t);
    if (!(opts && opts->storage)) t->flags |= TASK_OWNS_RECORD;
    if (task_stack_setup(t, opts) != 0) {
        if (t->flags & TASK_OWNS_RECORD) free(t);
        errno = ENOMEM;
        return NULL;
    }
    t->run.kind = RUNNABLE_TASK;
    t->timer.heap_index = TIMER_NOT_QUEUED;
    t->state = TASK_NEW;
    t->id = ++loop->next_task_id;
    t->loop = loop;
    t->fn = fn;
    t->arg = arg;
    if (opts && opts->name) {
        t->name = opts->name;
    } else {
        name_from_id(t->auto_name, t->id);
        t->name = t->auto_name;
    }
    all_tasks_append(loop, t);
    loop_make_ready(loop, &t->run);
    return t;
}

void task_free(asyncio_task_t *t) {
    if (t->flags & TASK_OWNS_STACK) port_stack_free(&t->stack);
    all_tasks_remove(t->loop, t);
    if (t->flags & TASK_OWNS_RECORD) free(t);
}

asyncio_task_t *asyncio_loop_create_task(asyncio_loop_t *loop, asyncio_coro_fn fn, void *arg) {
    return task_create(loop, fn, arg, NULL);
}

asyncio_task_t *asyncio_create_task(asyncio_coro_fn fn, void *arg) {
    return task_create(loop_default(), fn, arg, NULL);
}

asyncio_task_t *asyncio_create_task_ex(asyncio_coro_fn fn, void *arg,
                                       const asyncio_task_opts_t *opts) {
    return task_create(loop_default(), fn, arg, opts);
}
