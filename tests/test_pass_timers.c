/* Timers during a long pass. The loop runs a pass (the items ready when it
 * began) in FIFO order, but looks at the timers every few dozen items: the
 * items of timers then due run next, ahead of the rest of the pass. Nothing
 * else changes place: a yield, a new task or a woken task still waits for
 * the next pass. (In virtual time the clock stands still during a pass, so
 * the timers due in one are those set for "now": call_later with 0 ms.) */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "asyncio.h"
#include "check.h"

enum { TASKS = 1000 };

static asyncio_loop_t *loop;
static int first_runs;           /* tasks of the long pass that have run */
static int runs_before_callback; /* first_runs when the callback ran, -1 before */

static void callback(void *arg) {
    (void)arg;
    runs_before_callback = first_runs;
}

/* The first of the long pass sets a timer due at once. */
static int counter(void *arg) {
    if (first_runs++ == 0) CHECK_EQ(asyncio_loop_call_later_ms(loop, 0, callback, arg), 0);
    return 0;
}

static void nothing(void *arg) { (void)arg; }

/* arg non-NULL: a timer an hour away is pending all along. */
static int start_many(void *arg) {
    if (arg) CHECK_EQ(asyncio_loop_call_later_ms(loop, 3600u * 1000u, nothing, NULL), 0);
    asyncio_task_t **tasks = malloc(TASKS * sizeof *tasks);
    CHECK(tasks != NULL);
    for (int i = 0; i < TASKS; i++) CHECK((tasks[i] = asyncio_create_task(counter, NULL)) != NULL);
    int rc = asyncio_gather(tasks, TASKS, NULL, 0);
    free(tasks);
    return rc;
}

static void a_timer_due_during_a_long_pass_is_served_within_it(bool other_timer_pending) {
    loop = virtual_loop();
    first_runs = 0;
    runs_before_callback = -1;
    asyncio_task_t *main_task =
        asyncio_loop_create_task(loop, start_many, other_timer_pending ? loop : NULL);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, main_task), 0);
    CHECK_EQ(first_runs, TASKS);
    /* after the task that set it, long before the last of the 1,000 */
    CHECK(runs_before_callback >= 1);
    CHECK(runs_before_callback <= TASKS / 4);
    CHECK_EQ(asyncio_loop_time_us(loop), 0);
    asyncio_loop_close(loop);
}

static void test_a_timer_due_during_a_long_pass_is_served_within_it(void) {
    a_timer_due_during_a_long_pass_is_served_within_it(false);
}

/* The same when the pass begins with a timer pending (the loop counts its
 * items from the start rather than from the first timer set). */
static void test_the_same_with_a_timer_pending_from_the_start(void) {
    a_timer_due_during_a_long_pass_is_served_within_it(true);
}

/* ---- the order of everything else is the pass's: FIFO, yields next pass ------ */

static int log_ids[3 * TASKS + 8], log_len;
static void log_id(int id) { log_ids[log_len++] = id; }
static void log_callback(void *arg) { log_id((int)(intptr_t)arg); }

enum { CALLBACK_ID = 100000, YIELDED_ID = 200000, LATE_TASK_ID = 300000 };

static int late_task(void *arg) {
    (void)arg;
    log_id(LATE_TASK_ID);
    return 0;
}

/* Task i logs i; task 0 also sets two timers due at once, creates a task
 * and yields once, logging again when it comes back. */
static int logger(void *arg) {
    int id = (int)(intptr_t)arg;
    log_id(id);
    if (id != 0) return 0;
    CHECK_EQ(asyncio_loop_call_later_ms(loop, 0, log_callback, (void *)(intptr_t)CALLBACK_ID), 0);
    CHECK_EQ(asyncio_loop_call_later_ms(loop, 0, log_callback, (void *)(intptr_t)(CALLBACK_ID + 1)), 0);
    asyncio_task_t *late = asyncio_create_task(late_task, NULL);
    CHECK(late != NULL);
    asyncio_task_detach(late);
    CHECK_EQ(asyncio_yield(), 0);
    log_id(YIELDED_ID);
    return 0;
}

static int start_loggers(void *arg) {
    (void)arg;
    asyncio_task_t **tasks = malloc(TASKS * sizeof *tasks);
    CHECK(tasks != NULL);
    for (int i = 0; i < TASKS; i++)
        CHECK((tasks[i] = asyncio_create_task(logger, (void *)(intptr_t)i)) != NULL);
    int rc = asyncio_gather(tasks, TASKS, NULL, 0);
    free(tasks);
    return rc;
}

static int position(int id) {
    for (int i = 0; i < log_len; i++)
        if (log_ids[i] == id) return i;
    return -1;
}

static void test_only_timers_move_ahead_of_the_pass(void) {
    loop = virtual_loop();
    log_len = 0;
    asyncio_task_t *main_task = asyncio_loop_create_task(loop, start_loggers, NULL);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, main_task), 0);
    CHECK_EQ(log_len, TASKS + 4);
    /* the tasks of the pass ran in the order they were created */
    int previous = -1;
    for (int i = 0; i < log_len; i++) {
        if (log_ids[i] >= TASKS) continue;
        CHECK_EQ(log_ids[i], previous + 1);
        previous = log_ids[i];
    }
    int last_of_pass = position(TASKS - 1);
    /* both timers ran during the pass, in the order they were set */
    CHECK(position(CALLBACK_ID) > position(0));
    CHECK_EQ(position(CALLBACK_ID + 1), position(CALLBACK_ID) + 1);
    CHECK(position(CALLBACK_ID + 1) < last_of_pass);
    /* the task created and the task that yielded during the pass wait for
     * the next one, in the order they were made ready */
    CHECK(position(LATE_TASK_ID) > last_of_pass);
    CHECK_EQ(position(YIELDED_ID), position(LATE_TASK_ID) + 1);
    asyncio_loop_close(loop);
}

/* ---- a pass goes on between batches of timers -------------------------------- */

enum { TIMERS = TASKS / 4 };
static int timer_runs, pass_runs_at_first_timer, pass_runs_at_last_timer;

static void counted_callback(void *arg) {
    (void)arg;
    if (++timer_runs == 1) pass_runs_at_first_timer = first_runs;
    if (timer_runs == TIMERS) pass_runs_at_last_timer = first_runs;
}

/* The first of the long pass sets TIMERS timers due at once. */
static int setter(void *arg) {
    (void)arg;
    if (first_runs++ == 0)
        for (int i = 0; i < TIMERS; i++)
            CHECK_EQ(asyncio_loop_call_later_ms(loop, 0, counted_callback, NULL), 0);
    return 0;
}

static int start_setters(void *arg) {
    (void)arg;
    asyncio_task_t **tasks = malloc(TASKS * sizeof *tasks);
    CHECK(tasks != NULL);
    for (int i = 0; i < TASKS; i++) CHECK((tasks[i] = asyncio_create_task(setter, NULL)) != NULL);
    int rc = asyncio_gather(tasks, TASKS, NULL, 0);
    free(tasks);
    return rc;
}

static void test_the_pass_goes_on_between_batches_of_timers(void) {
    loop = virtual_loop();
    first_runs = timer_runs = pass_runs_at_first_timer = pass_runs_at_last_timer = 0;
    asyncio_task_t *main_task = asyncio_loop_create_task(loop, start_setters, NULL);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, main_task), 0);
    CHECK_EQ(timer_runs, TIMERS);
    CHECK_EQ(first_runs, TASKS);
    /* all served during the pass, but not all at one look: tasks of the pass
     * ran between the first timer and the last, so timers falling due
     * cannot hold a pass up */
    CHECK(pass_runs_at_first_timer >= 1);
    CHECK(pass_runs_at_last_timer > pass_runs_at_first_timer);
    CHECK(pass_runs_at_last_timer < TASKS);
    asyncio_loop_close(loop);
}

int main(void) {
    RUN(test_a_timer_due_during_a_long_pass_is_served_within_it);
    RUN(test_the_same_with_a_timer_pending_from_the_start);
    RUN(test_only_timers_move_ahead_of_the_pass);
    RUN(test_the_pass_goes_on_between_batches_of_timers);
    return check_summary();
}
