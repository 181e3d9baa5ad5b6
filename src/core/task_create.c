/*
 * Task records and stacks: where they come from and where they go.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

_Static_assert(sizeof(asyncio_task_t) <= ASYNCIO_TASK_STORAGE_SIZE,
               "ASYNCIO_TASK_STORAGE_SIZE is too small for the task record");

static bool wants_shared_stack(const asyncio_task_opts_t *opts) {
    return opts && opts->shared_stack;
}

/* A new task's private stack (NULL: out of memory, or the caller's memory
 * cannot hold one). */
static port_stack_t *task_stack(const asyncio_task_opts_t *opts) {
    size_t size = opts && opts->stack_size ? opts->stack_size : ASYNCIO_DEFAULT_STACK;
    if (opts && opts->stack) return port_stack_adopt(opts->stack, size);
    if (size > SIZE_MAX / 2) return NULL; /* no port has it, and rounding it up would wrap */
    return port_stack_alloc(size);
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

static bool opts_valid(const asyncio_task_opts_t *opts) {
    if (!opts) return true;
    if (opts->stack_size && opts->stack_size < ASYNCIO_MIN_STACK) return false;
    if (opts->shared_stack && (opts->stack || opts->stack_size > ASYNCIO_SHARED_STACK))
        return false;
    return !(opts->stack && !opts->stack_size);
}

/* Records of ended tasks are kept for new ones, up to the port's number
 * (PORT_SPARE_TASK_RECORDS): spawning many short tasks then costs no malloc.
 * A port that keeps none (RAM is scarce) has no fields for them either. */
#if PORT_SPARE_TASK_RECORDS
static asyncio_task_t *record_alloc(asyncio_loop_t *loop) {
    asyncio_task_t *t = loop->spare_records;
    if (!t) return PORT_MALLOC(sizeof *t);
    loop->spare_records = (asyncio_task_t *)(void *)t->run.next;
    loop->n_spare_records--;
    return t;
}

static void record_free(asyncio_loop_t *loop, asyncio_task_t *t) {
    if (loop->n_spare_records + 1u > PORT_SPARE_TASK_RECORDS || loop->closed) { /* full */
        PORT_FREE(t);
        return;
    }
    t->run.next = (struct runnable *)(void *)loop->spare_records; /* run is the first member */
    loop->spare_records = t;
    loop->n_spare_records++;
}

static void spare_records_free(asyncio_loop_t *loop) {
    while (loop->spare_records) {
        asyncio_task_t *t = loop->spare_records;
        loop->spare_records = (asyncio_task_t *)(void *)t->run.next;
        PORT_FREE(t);
    }
    loop->n_spare_records = 0;
}
#else
static asyncio_task_t *record_alloc(asyncio_loop_t *loop) {
    (void)loop;
    return PORT_MALLOC(sizeof(asyncio_task_t));
}

static void record_free(asyncio_loop_t *loop, asyncio_task_t *t) {
    (void)loop;
    PORT_FREE(t);
}

static void spare_records_free(asyncio_loop_t *loop) { (void)loop; }
#endif

/* At the loop's close: the records kept for new tasks, and the shared
 * stack. */
void task_free_spare_records(asyncio_loop_t *loop) {
    task_shared_close(loop);
    spare_records_free(loop);
}

/* Clears the record and gives the task its stack: a private one with its
 * first frame laid out, or (asyncio_task_opts_t.shared_stack) the loop's
 * shared one, whose first frame is laid out when it first runs. 0, or
 * -ENOMEM, -EINVAL (the caller's stack cannot hold one), -ENOTSUP. */
static int task_stack_make(asyncio_loop_t *loop, asyncio_task_t *t, asyncio_coro_fn fn, void *arg,
                           const asyncio_task_opts_t *opts) {
    memset(t, 0, sizeof *t);
    if (wants_shared_stack(opts)) return task_shared_init(loop, t, fn, arg);
    t->stack = task_stack(opts);
    if (!t->stack) return opts && opts->stack ? -EINVAL : -ENOMEM;
    task_context_make(t, fn, arg);
    return 0;
}

asyncio_task_t *task_create(asyncio_loop_t *loop, asyncio_coro_fn fn, void *arg,
                            const asyncio_task_opts_t *opts) {
    if (!loop || !fn || loop->closed || !opts_valid(opts)) {
        errno = EINVAL;
        return NULL;
    }
    if (timer_heap_claim(&loop->timers) != 0) { /* so that its waits never fail for memory */
        errno = ENOMEM;
        return NULL;
    }
    bool own_record = !(opts && opts->storage);
    asyncio_task_t *t = own_record ? record_alloc(loop) : opts->storage;
    int err = t ? task_stack_make(loop, t, fn, arg, opts) : -ENOMEM;
    if (err) {
        if (own_record && t) record_free(loop, t);
        timer_heap_unclaim(&loop->timers);
        errno = -err;
        return NULL;
    }
    t->run.kind = RUNNABLE_TASK;
    t->run.state = TASK_NEW;
    t->run.flags |= own_record ? TASK_OWNS_RECORD : 0;
    t->id = ++loop->next_task_id;
    t->loop = loop;
    t->name = opts ? opts->name : NULL;
    all_tasks_append(loop, t);
    loop_make_ready(loop, &t->run);
    return t;
}

void task_free(asyncio_task_t *t) {
    task_stack_release(t);
    all_tasks_remove(t->loop, t);
    if (t->run.flags & TASK_NAME_ALLOCATED) PORT_FREE((char *)(uintptr_t)t->name);
    if (t->run.flags & TASK_OWNS_RECORD) record_free(t->loop, t);
}

/* "task-N" is made the first time someone asks, so that a task created
 * without a name costs no memory for one. */
const char *asyncio_task_name(const asyncio_task_t *t) {
    if (!t) return NULL;
    if (t->name) return t->name;
    char buf[16];
    const char *made = report_task_name(t, buf);
    size_t len = strlen(made) + 1;
    char *copy = PORT_MALLOC(len);
    if (!copy) return "task-?";
    memcpy(copy, made, len);
    asyncio_task_t *writable = (asyncio_task_t *)(uintptr_t)t; /* never a const object */
    writable->name = copy;
    writable->run.flags |= TASK_NAME_ALLOCATED;
    return copy;
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
