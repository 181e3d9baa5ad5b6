/* asyncio_event_t: one task announces, every waiting task goes on. */
#include "asyncio.h"
#include "check.h"
#include "trace.h"

static asyncio_event_t ev = ASYNCIO_EVENT_INIT;

struct waiter {
    char name;
    uint32_t delay_ms; /* before it starts waiting */
    int result;
    uint64_t woke_at;
};

static int waiter_task(void *arg) {
    struct waiter *w = arg;
    if (w->delay_ms) asyncio_sleep_ms(w->delay_ms);
    w->result = asyncio_event_wait(&ev);
    w->woke_at = asyncio_ticks_us();
    note(w->name);
    return w->result;
}

/* ---- tests -------------------------------------------------------------------- */

static int other_ran;
static int mark_other(void *arg) {
    (void)arg;
    other_ran = 1;
    return 0;
}

static int set_event_no_switch_main(void *arg) {
    (void)arg;
    asyncio_event_init(&ev);
    other_ran = 0;
    asyncio_task_t *other = asyncio_create_task(mark_other, NULL);
    CHECK(!asyncio_event_is_set(&ev));
    asyncio_event_set(&ev);
    CHECK(asyncio_event_is_set(&ev));
    CHECK_EQ(asyncio_event_wait(&ev), 0);
    CHECK_EQ(asyncio_event_wait(&ev), 0);
    CHECK_EQ(other_ran, 0);           /* the waits returned without switching */
    CHECK(asyncio_event_is_set(&ev)); /* waiting does not clear it */
    asyncio_event_clear(&ev);
    CHECK(!asyncio_event_is_set(&ev));
    return asyncio_await(other);
}

static void test_wait_on_set_event_returns_at_once(void) {
    CHECK_EQ(run_virtual(set_event_no_switch_main, NULL), 0);
}

static int fifo_main(void *arg) {
    (void)arg;
    asyncio_event_init(&ev);
    trace_reset();
    /* created a, b, c but they start waiting in the order c, b, a */
    struct waiter w[3] = {{'a', 3, 1, 0}, {'b', 2, 1, 0}, {'c', 1, 1, 0}};
    asyncio_task_t *t[3];
    for (int i = 0; i < 3; i++) t[i] = asyncio_create_task(waiter_task, &w[i]);
    asyncio_sleep_ms(10);
    CHECK_EQ(trace_len, 0);
    note('S');
    asyncio_event_set(&ev); /* wakes everyone at once */
    note('s');
    int results[3];
    CHECK_EQ(asyncio_gather(t, 3, results, 0), 0);
    CHECK_STR(trace, "Sscba");
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(w[i].result, 0);
        CHECK_EQ(w[i].woke_at, 10000);
    }
    return 0;
}

static void test_set_wakes_every_waiter_in_fifo_order(void) {
    CHECK_EQ(run_virtual(fifo_main, NULL), 0);
}

static int clear_main(void *arg) {
    (void)arg;
    asyncio_event_init(&ev);
    trace_reset();
    struct waiter w[2] = {{'a', 0, 1, 0}, {'b', 0, 1, 0}};
    asyncio_task_t *t[2];
    for (int i = 0; i < 2; i++) t[i] = asyncio_create_task(waiter_task, &w[i]);
    asyncio_yield();
    asyncio_event_set(&ev);
    asyncio_event_clear(&ev); /* before the woken waiters resume */
    CHECK_EQ(asyncio_gather(t, 2, NULL, 0), 0);
    CHECK_STR(trace, "ab");
    CHECK(!asyncio_event_is_set(&ev));

    /* a new waiter waits for the next set */
    struct waiter late = {'c', 0, 1, 0};
    asyncio_task_t *c = asyncio_create_task(waiter_task, &late);
    asyncio_sleep_ms(5);
    CHECK_STR(trace, "ab");
    asyncio_event_set(&ev);
    CHECK_EQ(asyncio_await(c), 0);
    CHECK_STR(trace, "abc");
    return 0;
}

static void test_set_then_clear_still_wakes_waiters(void) {
    CHECK_EQ(run_virtual(clear_main, NULL), 0);
}

/* Cancellation before, while and after waiting. */
static int cancel_main(void *arg) {
    (void)arg;
    asyncio_event_init(&ev);
    trace_reset();

    /* before: cancelled before its first wait, even on a set event */
    asyncio_event_set(&ev);
    asyncio_task_t *self = asyncio_current_task();
    asyncio_task_cancel(self);
    CHECK_EQ(asyncio_event_wait(&ev), -ECANCELED);
    asyncio_task_uncancel(self);
    CHECK_EQ(asyncio_event_wait(&ev), 0);
    asyncio_event_clear(&ev);

    /* while waiting: the cancelled waiter leaves, the others are woken as usual */
    struct waiter w[3] = {{'a', 0, 1, 0}, {'b', 0, 1, 0}, {'c', 0, 1, 0}};
    asyncio_task_t *t[3];
    for (int i = 0; i < 3; i++) t[i] = asyncio_create_task(waiter_task, &w[i]);
    asyncio_yield();
    CHECK(asyncio_task_cancel(t[1]));
    asyncio_yield();
    CHECK_STR(trace, "b");
    CHECK_EQ(w[1].result, -ECANCELED);
    CHECK(!asyncio_event_is_set(&ev));
    asyncio_event_set(&ev);
    int results[3];
    CHECK_EQ(asyncio_gather(t, 3, results, ASYNCIO_RETURN_EXCEPTIONS), 0);
    CHECK_EQ(results[0], 0);
    CHECK_EQ(results[1], -ECANCELED);
    CHECK_EQ(results[2], 0);
    CHECK_STR(trace, "bac");
    asyncio_event_clear(&ev);

    /* after the set, before it resumed: the wait has completed, it returns 0 */
    struct waiter x = {'x', 0, 1, 0};
    asyncio_task_t *tx = asyncio_create_task(waiter_task, &x);
    asyncio_yield();
    asyncio_event_set(&ev);
    CHECK(asyncio_task_cancel(tx));
    CHECK_EQ(asyncio_await(tx), 0);
    CHECK_EQ(x.result, 0);
    return 0;
}

static void test_cancelled_waiter(void) { CHECK_EQ(run_virtual(cancel_main, NULL), 0); }

static int timeout_main(void *arg) {
    (void)arg;
    asyncio_event_init(&ev);
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 25);
    CHECK_EQ(asyncio_event_wait(&ev), -ETIMEDOUT);
    CHECK_EQ(asyncio_ticks_us(), 25000);
    CHECK(asyncio_timeout_exit(&scope));
    CHECK(ev.waiters.first == NULL); /* left no trace */

    asyncio_timeout_enter_ms(&scope, 25);
    asyncio_event_set(&ev);
    CHECK_EQ(asyncio_event_wait(&ev), 0);
    CHECK(!asyncio_timeout_exit(&scope));
    return 0;
}

static void test_timeout_scope(void) { CHECK_EQ(run_virtual(timeout_main, NULL), 0); }

static void set_from_callback(void *arg) { asyncio_event_set(arg); }

static int callback_main(void *arg) {
    (void)arg;
    asyncio_event_init(&ev);
    CHECK_EQ(asyncio_loop_call_later_ms(asyncio_get_event_loop(), 7, set_from_callback, &ev), 0);
    CHECK_EQ(asyncio_event_wait(&ev), 0);
    CHECK_EQ(asyncio_ticks_us(), 7000);
    return 0;
}

static void test_set_from_a_callback(void) { CHECK_EQ(run_virtual(callback_main, NULL), 0); }

static int bad_input_main(void *arg) {
    (void)arg;
    CHECK_EQ(asyncio_event_wait(NULL), -EINVAL);
    asyncio_event_set(NULL);
    asyncio_event_clear(NULL);
    asyncio_event_init(NULL);
    CHECK(!asyncio_event_is_set(NULL));
    return 0;
}

static void test_bad_input(void) {
    CHECK_EQ(run_virtual(bad_input_main, NULL), 0);
    asyncio_event_t e = ASYNCIO_EVENT_INIT;
    CHECK_EQ(asyncio_event_wait(&e), -EPERM); /* outside a task */
    CHECK_EQ(asyncio_event_wait(NULL), -EINVAL);
    asyncio_event_set(&e); /* works anywhere */
    CHECK(asyncio_event_is_set(&e));
}

int main(void) {
    RUN(test_wait_on_set_event_returns_at_once);
    RUN(test_set_wakes_every_waiter_in_fifo_order);
    RUN(test_set_then_clear_still_wakes_waiters);
    RUN(test_cancelled_waiter);
    RUN(test_timeout_scope);
    RUN(test_set_from_a_callback);
    RUN(test_bad_input);
    return check_summary();
}
