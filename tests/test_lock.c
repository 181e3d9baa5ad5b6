/* asyncio_lock_t: one task at a time in a critical section, served in turn. */
#include "asyncio.h"
#include "check.h"
#include "trace.h"

static asyncio_lock_t lock = ASYNCIO_LOCK_INIT;

/* Takes the lock, notes its name, holds it for hold_ms, releases it. */
struct user {
    char name;
    uint32_t delay_ms; /* before asking */
    uint32_t hold_ms;
    int acquired; /* what acquire returned */
};

static int user_task(void *arg) {
    struct user *u = arg;
    if (u->delay_ms) asyncio_sleep_ms(u->delay_ms);
    u->acquired = asyncio_lock_acquire(&lock);
    if (u->acquired < 0) return u->acquired;
    note(u->name);
    if (u->hold_ms) asyncio_sleep_ms(u->hold_ms);
    return asyncio_lock_release(&lock);
}

/* ---- tests -------------------------------------------------------------------- */

static int other_ran;
static int mark_other(void *arg) {
    (void)arg;
    other_ran = 1;
    return 0;
}

static int free_lock_main(void *arg) {
    (void)arg;
    asyncio_lock_init(&lock);
    other_ran = 0;
    asyncio_task_t *other = asyncio_create_task(mark_other, NULL);
    CHECK(!asyncio_lock_locked(&lock));
    CHECK_EQ(asyncio_lock_acquire(&lock), 0);
    CHECK_EQ(other_ran, 0); /* a free lock is taken without switching */
    CHECK(asyncio_lock_locked(&lock));
    CHECK_EQ(asyncio_lock_acquire(&lock), -EDEADLK); /* not recursive */
    CHECK_EQ(asyncio_lock_release(&lock), 0);
    CHECK(!asyncio_lock_locked(&lock));
    CHECK_EQ(asyncio_lock_release(&lock), -EPERM); /* not held */
    return asyncio_await(other);
}

static void test_free_lock_is_taken_at_once(void) {
    CHECK_EQ(run_virtual(free_lock_main, NULL), 0);
}

static int fifo_main(void *arg) {
    (void)arg;
    asyncio_lock_init(&lock);
    trace_reset();
    CHECK_EQ(asyncio_lock_acquire(&lock), 0);
    /* created a, b, c; they ask for the lock in the order c, a, b */
    struct user u[3] = {{'a', 2, 1, 1}, {'b', 3, 1, 1}, {'c', 1, 1, 1}};
    asyncio_task_t *t[3];
    for (int i = 0; i < 3; i++) t[i] = asyncio_create_task(user_task, &u[i]);
    asyncio_sleep_ms(10);
    CHECK_EQ(trace_len, 0);
    note('M');
    CHECK_EQ(asyncio_lock_release(&lock), 0);
    CHECK(asyncio_lock_locked(&lock)); /* already c's */
    CHECK_EQ(asyncio_gather(t, 3, NULL, 0), 0);
    CHECK_STR(trace, "Mcab");
    CHECK(!asyncio_lock_locked(&lock));
    return 0;
}

static void test_waiters_get_the_lock_in_fifo_order(void) {
    CHECK_EQ(run_virtual(fifo_main, NULL), 0);
}

/* A task that releases and asks again at once queues behind the waiters. */
static int greedy_task(void *arg) {
    char name = *(const char *)arg;
    for (int i = 0; i < 3; i++) {
        if (asyncio_lock_acquire(&lock) < 0) return -1;
        note(name);
        asyncio_sleep_ms(1); /* a waiter has queued meanwhile */
        if (asyncio_lock_release(&lock) < 0) return -1;
        /* straight back to acquire: no yield in between */
    }
    return 0;
}

static int fairness_main(void *arg) {
    (void)arg;
    asyncio_lock_init(&lock);
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

static int release_by_other_task(void *arg) {
    (void)arg;
    return asyncio_lock_release(&lock);
}

static int eperm_main(void *arg) {
    (void)arg;
    asyncio_lock_init(&lock);
    CHECK_EQ(asyncio_lock_acquire(&lock), 0);
    CHECK_EQ(asyncio_await(asyncio_create_task(release_by_other_task, NULL)), -EPERM);
    CHECK(asyncio_lock_locked(&lock)); /* the failed release changed nothing */
    CHECK_EQ(asyncio_lock_release(&lock), 0);
    return 0;
}

static void test_release_by_a_non_holder_is_eperm(void) {
    CHECK_EQ(run_virtual(eperm_main, NULL), 0);
    asyncio_lock_t l = ASYNCIO_LOCK_INIT;
    CHECK_EQ(asyncio_lock_acquire(&l), -EPERM); /* outside a task */
    CHECK_EQ(asyncio_lock_release(&l), -EPERM);
    CHECK(!asyncio_lock_locked(&l));
}

/* Cancellation at every point of a wait for the lock. */
static int cancel_main(void *arg) {
    (void)arg;
    asyncio_lock_init(&lock);
    trace_reset();
    asyncio_task_t *self = asyncio_current_task();

    /* before: a cancelled task does not take even a free lock */
    asyncio_task_cancel(self);
    CHECK_EQ(asyncio_lock_acquire(&lock), -ECANCELED);
    CHECK(!asyncio_lock_locked(&lock));
    asyncio_task_uncancel(self);

    /* during: the cancelled waiter leaves the queue and never owns the lock */
    CHECK_EQ(asyncio_lock_acquire(&lock), 0);
    struct user u[3] = {{'a', 0, 0, 1}, {'b', 0, 0, 1}, {'c', 0, 0, 1}};
    asyncio_task_t *t[3];
    for (int i = 0; i < 3; i++) t[i] = asyncio_create_task(user_task, &u[i]);
    asyncio_yield(); /* all three wait */
    CHECK(asyncio_task_cancel(t[0]));
    CHECK_EQ(asyncio_lock_release(&lock), 0); /* goes to b, not to the cancelled a */
    int results[3];
    CHECK_EQ(asyncio_gather(t, 3, results, ASYNCIO_RETURN_EXCEPTIONS), 0);
    CHECK_EQ(results[0], -ECANCELED);
    CHECK_EQ(u[0].acquired, -ECANCELED);
    CHECK_EQ(results[1], 0);
    CHECK_EQ(results[2], 0);
    CHECK_STR(trace, "bc");
    CHECK(!asyncio_lock_locked(&lock));

    /* after the hand-off, before it resumed: it holds the lock, acquire returned 0 */
    CHECK_EQ(asyncio_lock_acquire(&lock), 0);
    struct user late = {'d', 0, 5, 1};
    asyncio_task_t *d = asyncio_create_task(user_task, &late);
    asyncio_yield();                          /* d waits */
    CHECK_EQ(asyncio_lock_release(&lock), 0); /* d owns it now */
    CHECK(asyncio_task_cancel(d));
    /* d returns from acquire with 0, its sleep is cancelled, it releases */
    CHECK_EQ(asyncio_await(d), 0);
    CHECK_EQ(late.acquired, 0);
    CHECK_STR(trace, "bcd");
    CHECK(!asyncio_lock_locked(&lock));
    return 0;
}

static void test_cancelled_waiter(void) { CHECK_EQ(run_virtual(cancel_main, NULL), 0); }

static int timeout_waiter(void *arg) {
    (void)arg;
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 10);
    int r = asyncio_lock_acquire(&lock);
    CHECK(asyncio_timeout_exit(&scope));
    return r;
}

static int timeout_main(void *arg) {
    (void)arg;
    asyncio_lock_init(&lock);
    trace_reset();
    CHECK_EQ(asyncio_lock_acquire(&lock), 0);
    asyncio_task_t *impatient = asyncio_create_task(timeout_waiter, NULL);
    struct user patient = {'p', 0, 0, 1};
    asyncio_task_t *p = asyncio_create_task(user_task, &patient);
    asyncio_sleep_ms(20);
    CHECK(asyncio_task_done(impatient));
    CHECK_EQ(asyncio_await(impatient), -ETIMEDOUT);
    CHECK_EQ(asyncio_lock_release(&lock), 0);
    CHECK_EQ(asyncio_await(p), 0);
    CHECK_STR(trace, "p");
    CHECK(!asyncio_lock_locked(&lock));
    return 0;
}

static void test_timeout_scope(void) { CHECK_EQ(run_virtual(timeout_main, NULL), 0); }

/* The usual use: a shared counter updated across a suspension point. */
static int counter;
static int increment_task(void *arg) {
    (void)arg;
    for (int i = 0; i < 10; i++) {
        if (asyncio_lock_acquire(&lock) < 0) return -1;
        int seen = counter;
        asyncio_yield(); /* others run here, but none enters */
        counter = seen + 1;
        asyncio_lock_release(&lock);
    }
    return 0;
}

static int counter_main(void *arg) {
    (void)arg;
    asyncio_lock_init(&lock);
    counter = 0;
    asyncio_task_t *t[5];
    for (int i = 0; i < 5; i++) t[i] = asyncio_create_task(increment_task, NULL);
    CHECK_EQ(asyncio_gather(t, 5, NULL, 0), 0);
    CHECK_EQ(counter, 50);
    return 0;
}

static void test_mutual_exclusion(void) { CHECK_EQ(run_virtual(counter_main, NULL), 0); }

static int bad_input_main(void *arg) {
    (void)arg;
    CHECK_EQ(asyncio_lock_acquire(NULL), -EINVAL);
    CHECK_EQ(asyncio_lock_release(NULL), -EINVAL);
    CHECK(!asyncio_lock_locked(NULL));
    asyncio_lock_init(NULL);
    return 0;
}

static void test_bad_input(void) {
    CHECK_EQ(run_virtual(bad_input_main, NULL), 0);
    CHECK_EQ(asyncio_lock_acquire(NULL), -EINVAL);
}

int main(void) {
    RUN(test_free_lock_is_taken_at_once);
    RUN(test_waiters_get_the_lock_in_fifo_order);
    RUN(test_release_and_reacquire_does_not_overtake);
    RUN(test_release_by_a_non_holder_is_eperm);
    RUN(test_cancelled_waiter);
    RUN(test_timeout_scope);
    RUN(test_mutual_exclusion);
    RUN(test_bad_input);
    return check_summary();
}
