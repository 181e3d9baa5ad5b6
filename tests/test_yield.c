/* asyncio_yield: its rules, one case per way a yield can go. Runs on the
 * host and, as firmware, on the RP2040, whose yield has its common case in
 * assembly (src/port/cortex-m/yield_armv6m.S): each case below takes one of
 * its branches, or the general path it hands over to. */
#include <stdbool.h>

#include "asyncio.h"
#include "check.h"

/* ---- round robin: the ready tasks take turns, in the order they yielded */

static char order[32];
static int order_len;

static int note_three_turns(void *arg) {
    for (int i = 0; i < 3; i++) {
        order[order_len++] = *(const char *)arg;
        if (asyncio_yield() != 0) return -1;
    }
    return 0;
}

static int three_tasks_take_turns(void *arg) {
    (void)arg;
    asyncio_task_t *t[3];
    t[0] = asyncio_create_task(note_three_turns, "a");
    t[1] = asyncio_create_task(note_three_turns, "b");
    t[2] = asyncio_create_task(note_three_turns, "c");
    return asyncio_gather(t, 3, NULL, 0);
}

static void test_ready_tasks_take_turns_in_order(void) {
    order_len = 0;
    CHECK_EQ(run_virtual(three_tasks_take_turns, NULL), 0);
    order[order_len] = '\0';
    CHECK_STR(order, "abcabcabc");
}

/* ---- where there is no task to suspend: -EPERM --------------------------- */

static int yield_in_callback = 1;
static void yield_from_callback(void *arg) {
    (void)arg;
    yield_in_callback = asyncio_yield(); /* on the loop's stack: no task */
}

static int schedule_a_yielding_callback(void *arg) {
    (void)arg;
    CHECK_EQ(asyncio_loop_call_soon(asyncio_get_event_loop(), yield_from_callback, NULL), 0);
    return asyncio_yield(); /* the callback runs meanwhile */
}

static void test_a_yield_outside_a_task_is_refused(void) {
    CHECK_EQ(asyncio_yield(), -EPERM); /* no loop runs */
    CHECK_EQ(run_virtual(schedule_a_yielding_callback, NULL), 0);
    CHECK_EQ(yield_in_callback, -EPERM);
}

/* ---- a callback in the middle of a pass runs in its turn ------------------ */

static void note_callback(void *arg) {
    (void)arg;
    order[order_len++] = 'x';
}

static int yield_around_a_callback(void *arg) {
    (void)arg;
    order[order_len++] = '1';
    asyncio_loop_call_soon(asyncio_get_event_loop(), note_callback, NULL);
    asyncio_yield(); /* queued behind the callback */
    order[order_len++] = '2';
    return asyncio_yield();
}

static void test_a_callback_queued_before_a_yield_runs_first(void) {
    order_len = 0;
    CHECK_EQ(run_virtual(yield_around_a_callback, NULL), 0);
    order[order_len] = '\0';
    CHECK_STR(order, "1x2");
}

/* ---- a cancelled task, a task past its timeout ---------------------------- */

static int cancel_self_then_yield(void *arg) {
    (void)arg;
    asyncio_task_cancel(asyncio_current_task());
    int r = asyncio_yield();
    asyncio_task_uncancel(asyncio_current_task());
    return r;
}

/* Inside a scope that has not expired, yields go on; one whose deadline has
 * come ends the next yield. */
static int yield_in_scopes(void *arg) {
    (void)arg;
    asyncio_timeout_t later, now;
    asyncio_timeout_enter_ms(&later, 1000);
    for (int i = 0; i < 3; i++)
        if (asyncio_yield() != 0) return -1;
    asyncio_timeout_enter_at_us(&now, asyncio_ticks_us());
    int r = asyncio_yield();
    asyncio_timeout_exit(&now);
    CHECK(!asyncio_timeout_exit(&later));
    return r;
}

static void test_a_cancelled_or_timed_out_task_is_told_so(void) {
    CHECK_EQ(run_virtual(cancel_self_then_yield, NULL), -ECANCELED);
    CHECK_EQ(run_virtual(yield_in_scopes, NULL), -ETIMEDOUT);
}

/* ---- what the loop has to do between passes is done while tasks yield ----- */

static volatile int woken;
static void note_woken(void *arg) {
    (void)arg;
    woken = 1;
}

struct spinner {
    int yields, max;
    bool wake_loop; /* signals the loop (as an interrupt handler would) first */
};

/* Yields until `woken` is set or max yields have gone by. */
static int spin_until_woken(void *arg) {
    struct spinner *s = arg;
    if (s->wake_loop)
        asyncio_loop_call_soon_threadsafe(asyncio_get_event_loop(), note_woken, NULL);
    while (!woken && s->yields < s->max) {
        if (asyncio_yield() != 0) return -1;
        s->yields++;
    }
    return 0;
}

static int two_spinners(void *arg) {
    struct spinner *s = arg;
    woken = 0;
    asyncio_task_t *t[2];
    t[0] = asyncio_create_task(spin_until_woken, &s[0]);
    t[1] = asyncio_create_task(spin_until_woken, &s[1]);
    return asyncio_gather(t, 2, NULL, 0);
}

/* A wake-up from outside the loop (call_soon_threadsafe, as an interrupt
 * handler or another thread would) is served at the end of the pass, even
 * though only yielding tasks are left to run. */
static void test_a_wake_up_is_served_while_tasks_yield(void) {
    struct spinner s[2] = {{0, 100, true}, {0, 100, false}};
    CHECK_EQ(run_virtual(two_spinners, s), 0);
    CHECK_EQ(woken, 1);
    CHECK_EQ(s[0].yields, 1); /* the pass under way, then the loop's turn */
}

/* A timer falls due while two tasks yield without end: its task runs. */
static int sleep_then_wake(void *arg) {
    (void)arg;
    int r = asyncio_sleep_ms(2);
    woken = 1;
    return r;
}

static int sleep_while_two_tasks_yield(void *arg) {
    struct spinner *s = arg;
    woken = 0;
    asyncio_task_t *t[3];
    t[0] = asyncio_create_task(sleep_then_wake, NULL);
    t[1] = asyncio_create_task(spin_until_woken, &s[0]);
    t[2] = asyncio_create_task(spin_until_woken, &s[1]);
    return asyncio_gather(t, 3, NULL, 0);
}

static void test_a_timer_falls_due_while_tasks_yield(void) {
    struct spinner s[2] = {{0, 2000000, false}, {0, 2000000, false}};
    CHECK_EQ(asyncio_run(sleep_while_two_tasks_yield, s), 0); /* real time */
    CHECK_EQ(woken, 1);
    CHECK(s[0].yields < s[0].max);
}

/* asyncio_loop_stop() from a task ends run_forever at the end of the pass:
 * the other task still has its turn in it. */
static int yield_and_stop_at_5(void *arg) {
    int *yields = arg;
    for (;; (*yields)++) {
        if (*yields == 5) asyncio_loop_stop(asyncio_get_event_loop());
        if (asyncio_yield() != 0) return 0; /* the loop's close cancels it */
    }
}

static int yield_forever(void *arg) {
    int *yields = arg;
    for (;; (*yields)++)
        if (asyncio_yield() != 0) return 0;
}

static void test_stop_ends_the_loop_while_tasks_yield(void) {
    asyncio_loop_t *loop = virtual_loop();
    int yields[2] = {0, 0};
    asyncio_task_t *a = asyncio_loop_create_task(loop, yield_and_stop_at_5, &yields[0]);
    asyncio_task_t *b = asyncio_loop_create_task(loop, yield_forever, &yields[1]);
    asyncio_loop_run_forever(loop);
    CHECK_EQ(yields[0], 5);
    CHECK_EQ(yields[1], 5);
    CHECK(!asyncio_task_done(a) && !asyncio_task_done(b));
    asyncio_task_detach(a);
    asyncio_task_detach(b);
    asyncio_loop_close(loop); /* cancels them */
}

int main(void) {
    RUN(test_ready_tasks_take_turns_in_order);
    RUN(test_a_yield_outside_a_task_is_refused);
    RUN(test_a_callback_queued_before_a_yield_runs_first);
    RUN(test_a_cancelled_or_timed_out_task_is_told_so);
    RUN(test_a_wake_up_is_served_while_tasks_yield);
    RUN(test_a_timer_falls_due_while_tasks_yield);
    RUN(test_stop_ends_the_loop_while_tasks_yield);
    return check_summary();
}
