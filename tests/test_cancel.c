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

/* A cancel that comes after the task's wait has completed (the event was set,
 * the queued yield was reached) leaves that wait's success alone: only the
 * task's next suspending call returns -ECANCELED. */
static asyncio_event_t go = ASYNCIO_EVENT_INIT;
static int waits_for_go(void *arg) {
    int *seen = arg;
    seen[0] = asyncio_event_wait(&go);
    seen[1] = asyncio_sleep_ms(1);
    return 0;
}
static int yields_twice(void *arg) {
    int *seen = arg;
    seen[0] = asyncio_yield();
    seen[1] = asyncio_yield();
    return 0;
}

static int cancel_after_resume(void *arg) {
    int *seen = arg;
    asyncio_task_t *waiter = asyncio_create_task(waits_for_go, seen);
    asyncio_yield();             /* the waiter now waits on the event */
    asyncio_event_set(&go);      /* its wait completes: the waiter is ready ... */
    asyncio_task_cancel(waiter); /* ... and is cancelled before it runs */
    asyncio_task_t *yielder = asyncio_create_task(yields_twice, seen + 2);
    asyncio_yield();              /* yielder ran and yielded: queued behind us */
    asyncio_task_cancel(yielder); /* its yield has been queued: it returns 0 */
    asyncio_task_t *both[2] = {waiter, yielder};
    return asyncio_gather(both, 2, NULL, ASYNCIO_RETURN_EXCEPTIONS);
}

static void test_cancel_after_the_wait_completed(void) {
    int seen[4] = {1, 1, 1, 1};
    asyncio_event_init(&go);
    CHECK_EQ(run_virtual(cancel_after_resume, seen), 0);
    CHECK_EQ(seen[0], 0); /* the event wait had completed */
    CHECK_EQ(seen[1], -ECANCELED);
    CHECK_EQ(seen[2], 0); /* the queued yield had completed */
    CHECK_EQ(seen[3], -ECANCELED);
}

int main(void) {
    RUN(test_cancel_while_sleeping);
    RUN(test_cancel_before_first_run_never_runs_the_body);
    RUN(test_cancel_while_ready);
    RUN(test_cancel_after_end_is_false);
    RUN(test_level_triggered_until_uncancel);
    RUN(test_cancel_inside_await_forwards);
    RUN(test_self_cancel);
    RUN(test_cancel_after_the_wait_completed);
    return check_summary();
}
