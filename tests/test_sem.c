/* asyncio_sem_t: at most N tasks at a time, served in turn. */
#include <limits.h>

#include "asyncio.h"
#include "check.h"
#include "trace.h"

static asyncio_sem_t sem = ASYNCIO_SEM_INIT(0);

struct user {
    char name;
    uint32_t delay_ms; /* before asking */
    uint32_t hold_ms;
    int acquired;
};

static int user_task(void *arg) {
    struct user *u = arg;
    if (u->delay_ms) asyncio_sleep_ms(u->delay_ms);
    u->acquired = asyncio_sem_acquire(&sem);
    if (u->acquired < 0) return u->acquired;
    note(u->name);
    if (u->hold_ms) asyncio_sleep_ms(u->hold_ms);
    return asyncio_sem_release(&sem);
}

/* ---- tests -------------------------------------------------------------------- */

static int other_ran;
static int mark_other(void *arg) {
    (void)arg;
    other_ran = 1;
    return 0;
}

static int counting_main(void *arg) {
    (void)arg;
    asyncio_sem_init(&sem, 2);
    other_ran = 0;
    asyncio_task_t *other = asyncio_create_task(mark_other, NULL);
    CHECK_EQ(asyncio_sem_value(&sem), 2);
    CHECK_EQ(asyncio_sem_acquire(&sem), 0);
    CHECK_EQ(asyncio_sem_acquire(&sem), 0);
    CHECK_EQ(other_ran, 0); /* permits available: no switch */
    CHECK_EQ(asyncio_sem_value(&sem), 0);
    CHECK_EQ(asyncio_sem_release(&sem), 0);
    CHECK_EQ(asyncio_sem_release(&sem), 0);
    CHECK_EQ(asyncio_sem_release(&sem), 0); /* unbounded: above the initial value */
    CHECK_EQ(asyncio_sem_value(&sem), 3);
    return asyncio_await(other);
}

static void test_counting(void) { CHECK_EQ(run_virtual(counting_main, NULL), 0); }

static int concurrency_now, concurrency_max;
static int limited_task(void *arg) {
    (void)arg;
    if (asyncio_sem_acquire(&sem) < 0) return -1;
    concurrency_now++;
    if (concurrency_now > concurrency_max) concurrency_max = concurrency_now;
    asyncio_sleep_ms(10);
    concurrency_now--;
    return asyncio_sem_release(&sem);
}

static int limit_main(void *arg) {
    (void)arg;
    asyncio_sem_init(&sem, 3);
    concurrency_now = concurrency_max = 0;
    asyncio_task_t *t[10];
    for (int i = 0; i < 10; i++) t[i] = asyncio_create_task(limited_task, NULL);
    CHECK_EQ(asyncio_gather(t, 10, NULL, 0), 0);
    CHECK_EQ(concurrency_max, 3);
    CHECK_EQ(asyncio_ticks_us(), 40000); /* 4 rounds of 10 ms: 3 + 3 + 3 + 1 */
    CHECK_EQ(asyncio_sem_value(&sem), 3);
    return 0;
}

static void test_limits_concurrency(void) { CHECK_EQ(run_virtual(limit_main, NULL), 0); }

static int fifo_main(void *arg) {
    (void)arg;
    asyncio_sem_init(&sem, 0);
    trace_reset();
    struct user u[3] = {{'a', 3, 0, 1}, {'b', 1, 0, 1}, {'c', 2, 0, 1}};
    asyncio_task_t *t[3];
    for (int i = 0; i < 3; i++) t[i] = asyncio_create_task(user_task, &u[i]);
    asyncio_sleep_ms(10); /* they wait in the order b, c, a */
    CHECK_EQ(asyncio_sem_release(&sem), 0);
    CHECK_EQ(asyncio_sem_value(&sem), 0); /* the permit went to b directly */
    CHECK_EQ(asyncio_gather(t, 3, NULL, 0), 0);
    CHECK_STR(trace, "bca");
    CHECK_EQ(asyncio_sem_value(&sem), 1);
    return 0;
}

static void test_waiters_in_fifo_order(void) { CHECK_EQ(run_virtual(fifo_main, NULL), 0); }

static int greedy_task(void *arg) {
    char name = *(const char *)arg;
    for (int i = 0; i < 3; i++) {
        if (asyncio_sem_acquire(&sem) < 0) return -1;
        note(name);
        asyncio_sleep_ms(1);
        if (asyncio_sem_release(&sem) < 0) return -1;
    }
    return 0;
}

static int fairness_main(void *arg) {
    (void)arg;
    asyncio_sem_init(&sem, 1);
    trace_reset();
    asyncio_task_t *t[3] = {asyncio_create_task(greedy_task, "x"),
                            asyncio_create_task(greedy_task, "y"),
                            asyncio_create_task(greedy_task, "z")};
    CHECK_EQ(asyncio_gather(t, 3, NULL, 0), 0);
    CHECK_STR(trace, "xyzxyzxyz");
    return 0;
}

static void test_release_and_reacquire_does_not_overtake(void) {
    CHECK_EQ(run_virtual(fairness_main, NULL), 0);
}

static int bounded_main(void *arg) {
    (void)arg;
    asyncio_sem_init_bounded(&sem, 2, 2);
    CHECK_EQ(asyncio_sem_release(&sem), -EOVERFLOW);
    CHECK_EQ(asyncio_sem_value(&sem), 2);
    CHECK_EQ(asyncio_sem_acquire(&sem), 0);
    CHECK_EQ(asyncio_sem_release(&sem), 0);
    CHECK_EQ(asyncio_sem_release(&sem), -EOVERFLOW);

    /* a bound above the initial value */
    asyncio_sem_init_bounded(&sem, 0, 1);
    CHECK_EQ(asyncio_sem_release(&sem), 0);
    CHECK_EQ(asyncio_sem_release(&sem), -EOVERFLOW);
    CHECK_EQ(asyncio_sem_value(&sem), 1);

    /* a release handed to a waiter never overflows */
    asyncio_sem_init_bounded(&sem, 0, 1);
    struct user u = {'w', 0, 0, 1};
    asyncio_task_t *w = asyncio_create_task(user_task, &u);
    asyncio_yield();
    CHECK_EQ(asyncio_sem_release(&sem), 0);
    CHECK_EQ(asyncio_await(w), 0); /* it releases in turn */
    CHECK_EQ(asyncio_sem_value(&sem), 1);

    /* an initial value above the bound starts at the bound */
    asyncio_sem_init_bounded(&sem, 5, 3);
    CHECK_EQ(asyncio_sem_value(&sem), 3);

    /* bound 0 means unbounded, up to UINT_MAX */
    asyncio_sem_init_bounded(&sem, UINT_MAX, 0);
    CHECK_EQ(asyncio_sem_release(&sem), -EOVERFLOW);
    CHECK_EQ(asyncio_sem_value(&sem), UINT_MAX);
    return 0;
}

static void test_bounded(void) { CHECK_EQ(run_virtual(bounded_main, NULL), 0); }

static int cancel_main(void *arg) {
    (void)arg;
    asyncio_sem_init(&sem, 1);
    trace_reset();
    asyncio_task_t *self = asyncio_current_task();

    /* before: a cancelled task takes no permit, even a free one */
    asyncio_task_cancel(self);
    CHECK_EQ(asyncio_sem_acquire(&sem), -ECANCELED);
    CHECK_EQ(asyncio_sem_value(&sem), 1);
    asyncio_task_uncancel(self);

    /* during: a cancelled waiter leaves without a permit */
    CHECK_EQ(asyncio_sem_acquire(&sem), 0);
    struct user u[3] = {{'a', 0, 0, 1}, {'b', 0, 0, 1}, {'c', 0, 0, 1}};
    asyncio_task_t *t[3];
    for (int i = 0; i < 3; i++) t[i] = asyncio_create_task(user_task, &u[i]);
    asyncio_yield();
    CHECK(asyncio_task_cancel(t[1]));
    CHECK_EQ(asyncio_sem_release(&sem), 0);
    int results[3];
    CHECK_EQ(asyncio_gather(t, 3, results, ASYNCIO_RETURN_EXCEPTIONS), 0);
    CHECK_EQ(results[0], 0);
    CHECK_EQ(results[1], -ECANCELED);
    CHECK_EQ(results[2], 0);
    CHECK_STR(trace, "ac");
    CHECK_EQ(asyncio_sem_value(&sem), 1); /* no permit lost, none made up */

    /* after the hand-off, before it resumed: acquire returns 0, the permit is its */
    CHECK_EQ(asyncio_sem_acquire(&sem), 0);
    struct user late = {'d', 0, 5, 1};
    asyncio_task_t *d = asyncio_create_task(user_task, &late);
    asyncio_yield();
    CHECK_EQ(asyncio_sem_release(&sem), 0);
    CHECK_EQ(asyncio_sem_value(&sem), 0);
    CHECK(asyncio_task_cancel(d));
    CHECK_EQ(asyncio_await(d), 0);
    CHECK_EQ(late.acquired, 0);
    CHECK_STR(trace, "acd");
    CHECK_EQ(asyncio_sem_value(&sem), 1);

    /* timeout scope */
    CHECK_EQ(asyncio_sem_acquire(&sem), 0);
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 10);
    CHECK_EQ(asyncio_sem_acquire(&sem), -ETIMEDOUT);
    CHECK(asyncio_timeout_exit(&scope));
    CHECK_EQ(asyncio_sem_release(&sem), 0);
    CHECK_EQ(asyncio_sem_value(&sem), 1);
    return 0;
}

static void test_cancelled_waiter(void) { CHECK_EQ(run_virtual(cancel_main, NULL), 0); }

static void release_cb(void *arg) { asyncio_sem_release(arg); }

static int callback_main(void *arg) {
    (void)arg;
    asyncio_sem_init(&sem, 0);
    asyncio_loop_call_later_ms(asyncio_get_event_loop(), 3, release_cb, &sem);
    CHECK_EQ(asyncio_sem_acquire(&sem), 0);
    CHECK_EQ(asyncio_ticks_us(), 3000);
    return 0;
}

static void test_release_from_a_callback(void) { CHECK_EQ(run_virtual(callback_main, NULL), 0); }

static int bad_input_main(void *arg) {
    (void)arg;
    CHECK_EQ(asyncio_sem_acquire(NULL), -EINVAL);
    CHECK_EQ(asyncio_sem_release(NULL), -EINVAL);
    CHECK_EQ(asyncio_sem_value(NULL), 0);
    asyncio_sem_init(NULL, 1);
    asyncio_sem_init_bounded(NULL, 1, 1);
    return 0;
}

static void test_bad_input(void) {
    CHECK_EQ(run_virtual(bad_input_main, NULL), 0);
    asyncio_sem_t s = ASYNCIO_SEM_INIT(1);
    CHECK_EQ(asyncio_sem_acquire(&s), -EPERM); /* outside a task */
    CHECK_EQ(asyncio_sem_value(&s), 1);
    CHECK_EQ(asyncio_sem_release(&s), 0); /* release works anywhere */
    CHECK_EQ(asyncio_sem_value(&s), 2);
}

int main(void) {
    RUN(test_counting);
    RUN(test_limits_concurrency);
    RUN(test_waiters_in_fifo_order);
    RUN(test_release_and_reacquire_does_not_overtake);
    RUN(test_bounded);
    RUN(test_cancelled_waiter);
    RUN(test_release_from_a_callback);
    RUN(test_bad_input);
    return check_summary();
}
