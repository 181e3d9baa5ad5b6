/* Tasks: creation, names, stacks, storage, results, ownership, bad input. */
#include <stdint.h>
#include <string.h>

#include "asyncio.h"
#include "check.h"

static int returns_arg(void *arg) { return (int)(intptr_t)arg; }

static int sleep_then_return(void *arg) {
    asyncio_sleep_ms(10);
    return (int)(intptr_t)arg;
}

static int inspect(void *arg) {
    (void)arg;
    asyncio_task_t *t = asyncio_create_task(sleep_then_return, (void *)42);
    CHECK(!asyncio_task_done(t));
    CHECK_EQ(asyncio_task_result(t), -EINPROGRESS);
    CHECK(asyncio_current_task() != NULL);
    CHECK(asyncio_current_task() != t);
    return asyncio_await(t);
}

static void test_result_and_done(void) {
    CHECK_EQ(run_virtual(inspect, NULL), 42);
    CHECK(asyncio_current_task() == NULL);
}

static int create_is_lazy(void *arg) {
    (void)arg;
    int ran = 0;
    asyncio_task_t *t = asyncio_create_task(returns_arg, &ran);
    CHECK(!asyncio_task_done(t)); /* created, not run: it waits in the ready queue */
    asyncio_yield();
    CHECK(asyncio_task_done(t));
    return asyncio_await(t) != 0;
}

static void test_create_does_not_run_eagerly(void) {
    CHECK_EQ(run_virtual(create_is_lazy, NULL), 1);
}

static int finished_long_ago(void *arg) {
    (void)arg;
    asyncio_task_t *t = asyncio_create_task(returns_arg, (void *)9);
    asyncio_sleep(3600.0);
    CHECK(asyncio_task_done(t));
    uint64_t t0 = asyncio_ticks_us();
    int r = asyncio_await(t); /* completes at once, no switch */
    CHECK_EQ(asyncio_ticks_us(), t0);
    return r;
}

static void test_await_task_that_finished_long_ago(void) {
    CHECK_EQ(run_virtual(finished_long_ago, NULL), 9);
}

static int names(void *arg) {
    (void)arg;
    asyncio_task_opts_t opts = {.name = "blink"};
    asyncio_task_t *named = asyncio_create_task_ex(returns_arg, NULL, &opts);
    asyncio_task_t *anon = asyncio_create_task(returns_arg, NULL);
    CHECK_STR(asyncio_task_name(named), "blink");
    CHECK(strncmp(asyncio_task_name(anon), "task-", 5) == 0);
    CHECK_STR(asyncio_task_name(asyncio_current_task()), "task-1");
    CHECK_STR(asyncio_task_name(anon), "task-3");
    asyncio_task_t *both[2] = {named, anon};
    return asyncio_gather(both, 2, NULL, 0);
}

static void test_names(void) { CHECK_EQ(run_virtual(names, NULL), 0); }

/* Deep recursion on a caller-provided stack and record: nothing allocated. */
static int recurse(int depth) {
    volatile int pad[16];
    pad[0] = depth;
    if (depth == 0) return asyncio_yield() == 0 ? pad[0] : -1;
    return recurse(depth - 1) + pad[0];
}

static int deep(void *arg) { return recurse((int)(intptr_t)arg); }

static _Alignas(16) unsigned char caller_stack[256 * 1024];
static _Alignas(void *) unsigned char caller_record[ASYNCIO_TASK_STORAGE_SIZE];

static int caller_storage(void *arg) {
    (void)arg;
    asyncio_task_opts_t opts = {.name = "deep",
                                .stack_size = sizeof caller_stack,
                                .stack = caller_stack,
                                .storage = caller_record};
    asyncio_task_t *t = asyncio_create_task_ex(deep, (void *)100, &opts);
    CHECK((void *)t == (void *)caller_record);
    return asyncio_await(t);
}

static void test_caller_stack_and_storage(void) {
    CHECK_EQ(run_virtual(caller_storage, NULL), 100 * 101 / 2);
}

static int custom_stack_size(void *arg) {
    (void)arg;
    asyncio_task_opts_t opts = {.stack_size = 1024 * 1024};
    return asyncio_await(asyncio_create_task_ex(deep, (void *)2000, &opts));
}

static void test_big_stack(void) {
    CHECK_EQ(run_virtual(custom_stack_size, NULL), 2000 * 2001 / 2);
}

static void test_bad_input(void) {
    asyncio_loop_t *loop = virtual_loop();
    asyncio_set_event_loop(loop); /* asyncio_create_task_ex uses it */
    errno = 0;
    CHECK(asyncio_loop_create_task(loop, NULL, NULL) == NULL);
    CHECK_EQ(errno, EINVAL);
    errno = 0;
    CHECK(asyncio_loop_create_task(NULL, returns_arg, NULL) == NULL);
    CHECK_EQ(errno, EINVAL);
    asyncio_task_opts_t tiny = {.stack_size = ASYNCIO_MIN_STACK - 1};
    errno = 0;
    CHECK(asyncio_create_task_ex(returns_arg, NULL, &tiny) == NULL);
    CHECK_EQ(errno, EINVAL);
    asyncio_task_opts_t huge = {.stack_size = (size_t)1 << 46}; /* 64 TiB: cannot be mapped */
    errno = 0;
    CHECK(asyncio_create_task_ex(returns_arg, NULL, &huge) == NULL);
    CHECK_EQ(errno, ENOMEM);
    asyncio_task_opts_t too_big = {.stack_size = SIZE_MAX}; /* rounding it up must not wrap */
    errno = 0;
    CHECK(asyncio_create_task_ex(returns_arg, NULL, &too_big) == NULL);
    CHECK_EQ(errno, ENOMEM);
    /* the loop still works after all that */
    CHECK_EQ(asyncio_loop_run_until_complete(
                 loop, asyncio_loop_create_task(loop, returns_arg, (void *)3)),
             3);
    CHECK_EQ(asyncio_await(NULL), -EPERM); /* outside a task */
    CHECK_EQ(asyncio_loop_run_until_complete(loop, NULL), -EINVAL);
    asyncio_loop_close(loop);
    asyncio_set_event_loop(NULL);
}

static int await_self(void *arg) {
    (void)arg;
    CHECK_EQ(asyncio_await(asyncio_current_task()), -EINVAL);
    CHECK_EQ(asyncio_await(NULL), -EINVAL);
    asyncio_task_t *t = asyncio_create_task(returns_arg, (void *)1);
    asyncio_task_t *twice[2] = {t, t};
    CHECK_EQ(asyncio_gather(twice, 2, NULL, 0), -EINVAL); /* no effect: t still ours */
    return asyncio_await(t);
}

static void test_bad_awaits_have_no_effect(void) { CHECK_EQ(run_virtual(await_self, NULL), 1); }

static int detached_done;
static int detached_body(void *arg) {
    (void)arg;
    asyncio_sleep_ms(5);
    detached_done = 1;
    return 0;
}

static int fire_and_forget(void *arg) {
    (void)arg;
    asyncio_task_detach(asyncio_create_task(detached_body, NULL));
    asyncio_task_t *finished = asyncio_create_task(returns_arg, NULL);
    asyncio_yield();
    asyncio_task_detach(finished); /* already done: freed now */
    asyncio_sleep_ms(10);
    return detached_done;
}

static void test_detach(void) { CHECK_EQ(run_virtual(fire_and_forget, NULL), 1); }

/* asyncio_task_wait_done: any number of tasks wait for one task's end
 * without consuming it; the handle stays its owner's. */
struct watcher {
    asyncio_task_t *watched;
    int result;
    uint64_t woke_at;
};
static int watches(void *arg) {
    struct watcher *w = arg;
    w->result = asyncio_task_wait_done(w->watched);
    w->woke_at = asyncio_ticks_us();
    return 0;
}
static int watches_within_5ms(void *arg) {
    struct watcher *w = arg;
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 5);
    w->result = asyncio_task_wait_done(w->watched);
    asyncio_timeout_exit(&scope);
    w->woke_at = asyncio_ticks_us();
    return 0;
}

static int several_watchers(void *arg) {
    (void)arg;
    asyncio_task_t *t = asyncio_create_task(sleep_then_return, (void *)42);
    struct watcher w[5];
    asyncio_task_t *tasks[5];
    for (int i = 0; i < 5; i++) {
        w[i] = (struct watcher){.watched = t, .result = 1};
        tasks[i] = asyncio_create_task(i == 3 ? watches_within_5ms : watches, &w[i]);
    }
    asyncio_sleep_ms(1);
    asyncio_task_cancel(tasks[4]); /* a cancelled watcher leaves; t is not cancelled */
    CHECK_EQ(asyncio_gather(tasks, 5, NULL, 0), 0);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(w[i].result, 0);
        CHECK_EQ(w[i].woke_at, 10000); /* when t ended */
    }
    CHECK_EQ(w[3].result, -ETIMEDOUT);
    CHECK_EQ(w[3].woke_at, 5000);
    CHECK_EQ(w[4].result, -ECANCELED);
    CHECK_EQ(w[4].woke_at, 1000);
    CHECK(asyncio_task_done(t));
    CHECK_EQ(asyncio_task_wait_done(t), 0); /* ended: at once */
    uint64_t now = asyncio_ticks_us();
    CHECK_EQ(asyncio_task_wait_done(t), 0);
    CHECK_EQ(asyncio_ticks_us(), now);
    CHECK_EQ(asyncio_task_wait_done(NULL), -EINVAL);
    CHECK_EQ(asyncio_task_wait_done(asyncio_current_task()), -EINVAL);
    return asyncio_await(t); /* still the owner's: its result */
}

static void test_wait_done_without_consuming(void) {
    CHECK_EQ(run_virtual(several_watchers, NULL), 42);
    CHECK_EQ(asyncio_task_wait_done(NULL), -EPERM); /* outside a task */
}

/* A detached task can be watched until it ends (the watchers are woken
 * before it is freed), and so can one its owner awaits. */
static int watches_detached(void *arg) {
    (void)arg;
    asyncio_task_t *t = asyncio_create_task(sleep_then_return, (void *)7);
    struct watcher w = {.watched = t, .result = 1};
    asyncio_task_t *watcher = asyncio_create_task(watches, &w);
    asyncio_yield(); /* the watcher waits now */
    asyncio_task_detach(t);
    CHECK_EQ(asyncio_await(watcher), 0);
    CHECK_EQ(w.result, 0);
    CHECK_EQ(w.woke_at, 10000);
    asyncio_task_t *u = asyncio_create_task(sleep_then_return, (void *)8);
    w = (struct watcher){.watched = u, .result = 1};
    watcher = asyncio_create_task(watches, &w);
    int r = asyncio_await(u);
    CHECK_EQ(asyncio_await(watcher), 0);
    CHECK_EQ(w.result, 0);
    return r;
}

static void test_wait_done_on_detached_and_awaited_tasks(void) {
    CHECK_EQ(run_virtual(watches_detached, NULL), 8);
}

int main(void) {
    RUN(test_result_and_done);
    RUN(test_create_does_not_run_eagerly);
    RUN(test_await_task_that_finished_long_ago);
    RUN(test_names);
    RUN(test_caller_stack_and_storage);
    RUN(test_big_stack);
    RUN(test_bad_input);
    RUN(test_bad_awaits_have_no_effect);
    RUN(test_detach);
    RUN(test_wait_done_without_consuming);
    RUN(test_wait_done_on_detached_and_awaited_tasks);
    return check_summary();
}
