/* wait_for and timeout scopes. */
#include <stdint.h>

#include "asyncio.h"
#include "check.h"

static int inner_saw;

static int sleep_ms_task(void *arg) {
    inner_saw = asyncio_sleep_ms((uint32_t)(uintptr_t)arg);
    return inner_saw < 0 ? inner_saw : 1;
}

static int wait_for_in_time(void *arg) {
    (void)arg;
    return asyncio_wait_for(asyncio_create_task(sleep_ms_task, (void *)100), 0.5);
}

static void test_wait_for_success(void) {
    CHECK_EQ(run_virtual(wait_for_in_time, NULL), 1);
    CHECK_EQ(inner_saw, 0);
}

static int wait_for_too_long(void *arg) {
    uint64_t *elapsed = arg;
    uint64_t t0 = asyncio_ticks_us();
    int r = asyncio_wait_for_ms(asyncio_create_task(sleep_ms_task, (void *)5000), 250);
    *elapsed = asyncio_ticks_us() - t0;
    return r;
}

static void test_wait_for_timeout_cancels_inner(void) {
    uint64_t elapsed = 0;
    CHECK_EQ(run_virtual(wait_for_too_long, &elapsed), -ETIMEDOUT);
    CHECK_EQ(inner_saw, -ECANCELED); /* the inner task observed the cancellation */
    CHECK_EQ(elapsed, 250000);
}

/* A task that has already ended is never a timeout, not even a zero one. */
static int wait_for_finished(void *arg) {
    (void)arg;
    asyncio_task_t *t = asyncio_create_task(sleep_ms_task, (void *)0);
    asyncio_sleep_ms(1);
    CHECK(asyncio_task_done(t));
    return asyncio_wait_for_ms(t, 0);
}

static void test_wait_for_zero_on_a_finished_task_returns_its_result(void) {
    CHECK_EQ(run_virtual(wait_for_finished, NULL), 1);
}

static int nested_scopes(void *arg) {
    int *seen = arg;
    asyncio_timeout_t outer, inner;
    asyncio_timeout_enter_ms(&outer, 100);
    asyncio_timeout_enter_ms(&inner, 500); /* later than outer: outer wins */
    seen[0] = asyncio_sleep_ms(300);
    seen[1] = (int)asyncio_ticks_ms();
    seen[2] = asyncio_sleep_ms(1); /* still inside the expired scope */
    seen[3] = asyncio_timeout_exit(&inner);
    seen[4] = asyncio_timeout_exit(&outer);
    seen[5] = asyncio_sleep_ms(1); /* free again */
    return 0;
}

static void test_nested_scopes_earliest_wins(void) {
    int seen[6];
    CHECK_EQ(run_virtual(nested_scopes, seen), 0);
    CHECK_EQ(seen[0], -ETIMEDOUT);
    CHECK_EQ(seen[1], 100);
    CHECK_EQ(seen[2], -ETIMEDOUT);
    CHECK_EQ(seen[3], 0); /* inner's own deadline (500 ms) has not passed */
    CHECK_EQ(seen[4], 1);
    CHECK_EQ(seen[5], 0);
}

static int tie_goes_to_scope(void *arg) {
    (void)arg;
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 200);
    int r = asyncio_sleep_ms(200);
    CHECK(asyncio_timeout_exit(&scope));
    return r;
}

static void test_scope_wins_a_tie(void) {
    CHECK_EQ(run_virtual(tie_goes_to_scope, NULL), -ETIMEDOUT);
}

static int scope_not_reached(void *arg) {
    (void)arg;
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 200);
    int r = asyncio_sleep_ms(100);
    CHECK(!asyncio_timeout_exit(&scope));
    return r;
}

static void test_scope_not_reached(void) { CHECK_EQ(run_virtual(scope_not_reached, NULL), 0); }

static int await_in_scope(void *arg) {
    (void)arg;
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 50);
    int r = asyncio_await(asyncio_create_task(sleep_ms_task, (void *)1000));
    CHECK(asyncio_timeout_exit(&scope));
    return r;
}

static void test_await_inside_expiring_scope_unwinds_child(void) {
    CHECK_EQ(run_virtual(await_in_scope, NULL), -ETIMEDOUT);
    CHECK_EQ(inner_saw, -ECANCELED);
}

static void test_scopes_outside_a_task_do_nothing(void) {
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 0);
    CHECK(!asyncio_timeout_exit(&scope));
    CHECK_EQ(asyncio_wait_for_ms(NULL, 1), -EPERM);
}

/* The scoped form: the body runs under the timeout and the scope is exited
 * when it returns, so it cannot be left behind. */
static int sleeps_arg_ms(void *arg) { return asyncio_sleep_ms((uint32_t)(uintptr_t)arg); }

static int scoped_calls(void *arg) {
    int *seen = arg;
    seen[0] = asyncio_timeout_call_ms(20, sleeps_arg_ms, (void *)100);
    seen[1] = (int)asyncio_ticks_ms();
    seen[2] = asyncio_sleep_ms(30); /* the scope is gone */
    seen[3] = asyncio_timeout_call_ms(20, sleeps_arg_ms, (void *)10);
    seen[4] = (int)asyncio_ticks_ms();
    return 0;
}

static void test_timeout_call_runs_a_body_under_a_scope(void) {
    int seen[5];
    CHECK_EQ(run_virtual(scoped_calls, seen), 0);
    CHECK_EQ(seen[0], -ETIMEDOUT);
    CHECK_EQ(seen[1], 20);
    CHECK_EQ(seen[2], 0);
    CHECK_EQ(seen[3], 0); /* in time */
    CHECK_EQ(seen[4], 60);
    CHECK_EQ(asyncio_timeout_call_ms(5, sleeps_arg_ms, (void *)1), -EPERM); /* outside a task */
}

int main(void) {
    RUN(test_wait_for_success);
    RUN(test_wait_for_timeout_cancels_inner);
    RUN(test_wait_for_zero_on_a_finished_task_returns_its_result);
    RUN(test_nested_scopes_earliest_wins);
    RUN(test_scope_wins_a_tie);
    RUN(test_scope_not_reached);
    RUN(test_await_inside_expiring_scope_unwinds_child);
    RUN(test_scopes_outside_a_task_do_nothing);
    RUN(test_timeout_call_runs_a_body_under_a_scope);
    return check_summary();
}
