/* asyncio_gather: results in argument order, failures with and without
 * ASYNCIO_RETURN_EXCEPTIONS, and cancellation. */
#include <stdint.h>

#include "asyncio.h"
#include "check.h"

/* Sleeps arg ms, then returns arg (a negative arg: sleeps -arg ms and fails
 * with -EIO). Records how it ended. */
static int ended_with[16];
static int sleep_and_return(void *arg) {
    int v = (int)(intptr_t)arg;
    int slot = (v < 0 ? -v : v) / 10;
    int r = asyncio_sleep_ms((uint32_t)(v < 0 ? -v : v));
    ended_with[slot] = r;
    if (r < 0) return r;
    return v < 0 ? -EIO : v;
}

static asyncio_task_t *spawn(int v) {
    return asyncio_create_task(sleep_and_return, (void *)(intptr_t)v);
}

static int gather_in_order(void *arg) {
    int *results = arg;
    asyncio_task_t *t[3] = {spawn(30), spawn(10), spawn(20)};
    return asyncio_gather(t, 3, results, 0);
}

static void test_results_in_argument_order(void) {
    int results[3] = {0};
    CHECK_EQ(run_virtual(gather_in_order, results), 0);
    CHECK_EQ(results[0], 30);
    CHECK_EQ(results[1], 10);
    CHECK_EQ(results[2], 20);
}

static int gather_fail_fast(void *arg) {
    int *results = arg;
    asyncio_task_t *t[3] = {spawn(50), spawn(-20), spawn(40)};
    uint64_t t0 = asyncio_ticks_us();
    int r = asyncio_gather(t, 3, results, 0);
    CHECK_EQ(asyncio_ticks_us() - t0, 20000); /* returned at the failure */
    return r;
}

static void test_first_failure_cancels_the_rest(void) {
    int results[3] = {0};
    CHECK_EQ(run_virtual(gather_fail_fast, results), -EIO);
    CHECK_EQ(results[0], -ECANCELED);
    CHECK_EQ(results[1], -EIO);
    CHECK_EQ(results[2], -ECANCELED);
    CHECK_EQ(ended_with[5], -ECANCELED); /* the children saw the cancellation */
    CHECK_EQ(ended_with[4], -ECANCELED);
}

static int gather_return_exceptions(void *arg) {
    int *results = arg;
    asyncio_task_t *t[3] = {spawn(50), spawn(-20), spawn(40)};
    uint64_t t0 = asyncio_ticks_us();
    int r = asyncio_gather(t, 3, results, ASYNCIO_RETURN_EXCEPTIONS);
    CHECK_EQ(asyncio_ticks_us() - t0, 50000); /* waited for all */
    return r;
}

static void test_return_exceptions_waits_for_all(void) {
    int results[3] = {0};
    CHECK_EQ(run_virtual(gather_return_exceptions, results), 0);
    CHECK_EQ(results[0], 50);
    CHECK_EQ(results[1], -EIO);
    CHECK_EQ(results[2], 40);
}

static int gather_null_results(void *arg) {
    (void)arg;
    asyncio_task_t *t[2] = {spawn(10), spawn(-30)};
    int r = asyncio_gather(t, 2, NULL, ASYNCIO_RETURN_EXCEPTIONS);
    CHECK_EQ(asyncio_gather(NULL, 0, NULL, 0), 0); /* nothing to wait for */
    return r;
}

static void test_results_may_be_null(void) { CHECK_EQ(run_virtual(gather_null_results, NULL), 0); }

static int gatherer(void *arg) {
    int *results = arg;
    asyncio_task_t *t[2] = {spawn(60), spawn(70)};
    return asyncio_gather(t, 2, results, ASYNCIO_RETURN_EXCEPTIONS);
}

static int cancel_the_gatherer(void *arg) {
    asyncio_task_t *g = asyncio_create_task(gatherer, arg);
    asyncio_sleep_ms(5);
    asyncio_task_cancel(g);
    return asyncio_await(g);
}

static void test_cancelling_the_gatherer_cancels_children(void) {
    int results[2] = {0};
    CHECK_EQ(run_virtual(cancel_the_gatherer, results), -ECANCELED);
    CHECK_EQ(results[0], -ECANCELED);
    CHECK_EQ(results[1], -ECANCELED);
}

static int already_failed(void *arg) {
    (void)arg;
    asyncio_task_t *t[2] = {spawn(-10), spawn(80)};
    asyncio_sleep_ms(15); /* t[0] has failed before gather starts */
    int results[2];
    int r = asyncio_gather(t, 2, results, 0);
    CHECK_EQ(results[1], -ECANCELED);
    return r;
}

static void test_gather_of_already_failed_task(void) {
    CHECK_EQ(run_virtual(already_failed, NULL), -EIO);
}

int main(void) {
    RUN(test_results_in_argument_order);
    RUN(test_first_failure_cancels_the_rest);
    RUN(test_return_exceptions_waits_for_all);
    RUN(test_results_may_be_null);
    RUN(test_cancelling_the_gatherer_cancels_children);
    RUN(test_gather_of_already_failed_task);
    return check_summary();
}
