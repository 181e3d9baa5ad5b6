/* Cancellation: at every point of a task's life, level-triggered, forwarded. */
#include "asyncio.h"
#include "check.h"

static int sleep_results[4];

static int sleeper(void *arg) {
    int *out = arg;
    *out = asyncio_sleep(10.0);
    return *out == -ECANCELED ? 7 : 0; /* a task that returns while cancelled keeps its result */
}

static int cancel_while_sleeping(void *arg) {
    (void)arg;
    asyncio_task_t *t = asyncio_create_task(sleeper, &sleep_results[0]);
    asyncio_sleep_ms(5);
    CHECK(asyncio_task_cancel(t));
    uint64_t t0 = asyncio_ticks_us();
    int r = asyncio_await(t);
    CHECK_EQ(asyncio_ticks_us() - t0, 0); /* woke at once, not after 10 s */
    return r;
}

static void test_cancel_while_sleeping(void) {
    CHECK_EQ(run_virtual(cancel_while_sleeping, NULL), 7);
    CHECK_EQ(sleep_results[0], -ECANCELED);
}

static int body_ran;
static int note_ran(void *arg) {
    (void)arg;
    body_ran = 1;
    return 0;
}

static int cancel_before_first_run(void *arg) {
    (void)arg;
    asyncio_task_t *t = asyncio_create_task(note_ran, NULL);
    CHECK(asyncio_task_cancel(t));
    CHECK(!asyncio_task_done(t));
    asyncio_yield();
    CHECK(asyncio_task_done(t));
    CHECK(asyncio_task_cancelled(t));
    CHECK_EQ(asyncio_task_result(t), -ECANCELED);
    return asyncio_await(t);
}

static void test_cancel_before_first_run_never_runs_the_body(void) {
    body_ran = 0;
    CHECK_EQ(run_virtual(cancel_before_first_run, NULL), -ECANCELED);
    CHECK_EQ(body_ran, 0);
}

static int yield_twice(void *arg) {
    int *seen = arg;
    seen[0] = asyncio_yield();
    seen[1] = asyncio_yield();
    seen[2] = asyncio_sleep_ms(1);
    return 0;
}

static int cancel_while_ready(void *arg) {
    int *seen = arg;
    asyncio_task_t *t = asyncio_create_task(yield_twice, seen);
    asyncio_yield(); /* t runs and yields: it is now in the ready queue */
    CHECK(asyncio_task_cancel(t));
    return asyncio_await(t);
}

static void test_cancel_while_ready(void) {
    int seen[3] = {1, 1, 1};
    CHECK_EQ(run_virtual(cancel_while_ready, seen), 0);
    CHECK_EQ(seen[0], 0);          /* the yield had completed before the cancel */
    CHECK_EQ(seen[1], -ECANCELED); /* the next suspending call sees it */
    CHECK_EQ(seen[2], -ECANCELED); /* and every later one: level-triggered */
}

static int returns_five(void *arg) {
    (void)arg;
    return 5;
}

static int cancel_after_end(void *arg) {
    (void)arg;
    asyncio_task_t *t = asyncio_create_task(returns_five, NULL);
    asyncio_yield();
    CHECK(asyncio_task_done(t));
    CHECK(!asyncio_task_cancel(t)); /* already done: false */
    CHECK(!asyncio_task_cancelled(t));
    return asyncio_await(t);
}

static void test_cancel_after_end_is_false(void) {
    CHECK_EQ(run_virtual(cancel_after_end, NULL), 5);
    CHECK(!asyncio_task_cancel(NULL));
}

static int level_then_uncancel(void *arg) {
    int *seen = arg;
    seen[0] = asyncio_sleep(1.0);
    seen[1] = asyncio_sleep(1.0);
    asyncio_task_uncancel(asyncio_current_task());
    seen[2] = asyncio_sleep(1.0);
    return 0;
}

static int cancel_level_triggered(void *arg) {
    asyncio_task_t *t = asyncio_create_task(level_then_uncancel, arg);
    asyncio_yield();
    asyncio_task_cancel(t);
    uint64_t t0 = asyncio_ticks_us();
    int r = asyncio_await(t);
    CHECK_EQ(asyncio_ticks_us() - t0, 1000000); /* only the last sleep took time */
    return r;
}

static void test_level_triggered_until_uncancel(void) {
    int seen[3] = {1, 1, 1};
    CHECK_EQ(run_virtual(cancel_level_triggered, seen), 0);
    CHECK_EQ(seen[0], -ECANCELED);
    CHECK_EQ(seen[1], -ECANCELED);
    CHECK_EQ(seen[2], 0);
}

/* Cancelling a task inside asyncio_await cancels the awaited task too, and
 * the await returns only once that task has ended. */
static int child_observed;
static uint64_t child_ended_at;

static int slow_cleanup_child(void *arg) {
    (void)arg;
    child_observed = asyncio_sleep(100.0);
    asyncio_task_uncancel(asyncio_current_task()); /* clean up, which takes time */
    asyncio_sleep_ms(50);
    child_ended_at = asyncio_ticks_us();
    return 1;
}

static int parent(void *arg) {
    (void)arg;
    return asyncio_await(asyncio_create_task(slow_cleanup_child, NULL));
}

static int cancel_parent(void *arg) {
    uint64_t *parent_ended_at = arg;
    asyncio_task_t *p = asyncio_create_task(parent, NULL);
    asyncio_sleep_ms(10);
    asyncio_task_cancel(p);
    int r = asyncio_await(p);
    *parent_ended_at = asyncio_ticks_us();
    return r;
}

static void test_cancel_inside_await_forwards(void) {
    uint64_t parent_ended_at = 0;
    CHECK_EQ(run_virtual(cancel_parent, &parent_ended_at), -ECANCELED);
    CHECK_EQ(child_observed, -ECANCELED);
    CHECK_EQ(child_ended_at, 60000);
    CHECK_EQ(parent_ended_at, 60000);
}

static int cancel_self(void *arg) {
    (void)arg;
    asyncio_task_cancel(asyncio_current_task());
    return asyncio_yield();
}

static void test_self_cancel(void) { CHECK_EQ(run_virtual(cancel_self, NULL), -ECANCELED); }

int main(void) {
    RUN(test_cancel_while_sleeping);
    RUN(test_cancel_before_first_run_never_runs_the_body);
    RUN(test_cancel_while_ready);
    RUN(test_cancel_after_end_is_false);
    RUN(test_level_triggered_until_uncancel);
    RUN(test_cancel_inside_await_forwards);
    RUN(test_self_cancel);
    return check_summary();
}
