/* asyncio_taskgroup_t: structured concurrency. A group's children all end
 * before asyncio_taskgroup_wait() returns; the first failure cancels the rest. */
#include "asyncio.h"
#include "check.h"
#include "trace.h"

/* A child: sleeps, then returns `result`; notes its name in upper case when
 * it finishes and in lower case when it sees its cancellation. */
struct child {
    char name;
    uint32_t sleep_ms;
    int result;
    int slept; /* what its sleep returned */
};

static int child_task(void *arg) {
    struct child *c = arg;
    c->slept = asyncio_sleep_ms(c->sleep_ms);
    if (c->slept < 0) {
        note((char)(c->name - 'A' + 'a'));
        return c->slept;
    }
    note(c->name);
    return c->result;
}

/* ---- tests -------------------------------------------------------------------- */

static int all_succeed_main(void *arg) {
    (void)arg;
    trace_reset();
    asyncio_taskgroup_t g;
    asyncio_taskgroup_init(&g);
    struct child c[3] = {{'A', 30, 1, 1}, {'B', 10, 2, 1}, {'C', 20, 3, 1}};
    asyncio_task_t *t[3];
    for (int i = 0; i < 3; i++)
        CHECK((t[i] = asyncio_taskgroup_create_task(&g, child_task, &c[i])));
    /* the group owns them: they may be inspected, not consumed */
    CHECK_EQ(asyncio_await(t[0]), -EINVAL);
    asyncio_task_detach(t[0]); /* ignored */
    CHECK(!asyncio_task_done(t[0]));
    CHECK_EQ(asyncio_taskgroup_wait(&g), 0);
    CHECK_STR(trace, "BCA");
    CHECK_EQ(asyncio_ticks_us(), 30000);

    /* an empty group (or the same one, reused) returns at once */
    CHECK_EQ(asyncio_taskgroup_wait(&g), 0);
    asyncio_taskgroup_t empty;
    asyncio_taskgroup_init(&empty);
    CHECK_EQ(asyncio_taskgroup_wait(&empty), 0);
    CHECK_EQ(asyncio_ticks_us(), 30000);
    return 0;
}

static void test_waits_for_every_child(void) { CHECK_EQ(run_virtual(all_succeed_main, NULL), 0); }

static int first_failure_main(void *arg) {
    (void)arg;
    trace_reset();
    asyncio_taskgroup_t g;
    asyncio_taskgroup_init(&g);
    /* B fails at 5 ms; the others are still asleep and are cancelled in
     * creation order; D fails too, later, while being cancelled: only the
     * first failure counts */
    struct child c[5] = {
        {'A', 50, 0, 1}, {'B', 5, -EIO, 1}, {'C', 40, 0, 1}, {'D', 60, -EPIPE, 1}, {'E', 20, 0, 1}};
    for (int i = 0; i < 5; i++) CHECK(asyncio_taskgroup_create_task(&g, child_task, &c[i]));
    CHECK_EQ(asyncio_taskgroup_wait(&g), -EIO);
    CHECK_STR(trace, "Bacde");
    CHECK_EQ(asyncio_ticks_us(), 5000);
    for (int i = 0; i < 5; i++)
        if (i != 1) CHECK_EQ(c[i].slept, -ECANCELED);
    return 0;
}

static void test_first_failure_cancels_the_rest_in_creation_order(void) {
    CHECK_EQ(run_virtual(first_failure_main, NULL), 0);
}

static int failure_before_wait_main(void *arg) {
    (void)arg;
    trace_reset();
    asyncio_taskgroup_t g;
    asyncio_taskgroup_init(&g);
    struct child c[2] = {{'A', 1, -EIO, 1}, {'B', 50, 0, 1}};
    asyncio_task_t *a = asyncio_taskgroup_create_task(&g, child_task, &c[0]);
    asyncio_task_t *b = asyncio_taskgroup_create_task(&g, child_task, &c[1]);
    asyncio_sleep_ms(10); /* A fails meanwhile: B is cancelled at once, before any wait */
    CHECK(asyncio_task_done(a));
    CHECK_EQ(asyncio_task_result(a), -EIO);
    CHECK(asyncio_task_done(b));
    CHECK(asyncio_task_cancelled(b));
    CHECK_STR(trace, "Ab");

    /* the group is failing: no new children */
    errno = 0;
    CHECK(asyncio_taskgroup_create_task(&g, child_task, &c[1]) == NULL);
    CHECK_EQ(errno, ECANCELED);
    CHECK_EQ(asyncio_taskgroup_wait(&g), -EIO);

    /* wait() leaves the group empty and usable again */
    struct child d = {'D', 1, 0, 1};
    CHECK(asyncio_taskgroup_create_task(&g, child_task, &d));
    CHECK_EQ(asyncio_taskgroup_wait(&g), 0);
    CHECK_STR(trace, "AbD");
    return 0;
}

static void test_failure_before_wait_and_adding_to_a_failing_group(void) {
    CHECK_EQ(run_virtual(failure_before_wait_main, NULL), 0);
}

/* A child that is cancelled while the group is failing tries to add one more. */
static asyncio_taskgroup_t *shared_group;
static int add_errno;
static struct child never_added = {'N', 1, 0, 1};

static int late_adder(void *arg) {
    (void)arg;
    int r = asyncio_sleep_ms(100);
    errno = 0;
    asyncio_task_t *t = asyncio_taskgroup_create_task(shared_group, child_task, &never_added);
    add_errno = t ? 0 : errno;
    return r;
}

static int failing_adder_main(void *arg) {
    (void)arg;
    trace_reset();
    asyncio_taskgroup_t g;
    asyncio_taskgroup_init(&g);
    shared_group = &g;
    add_errno = -1;
    struct child bad = {'X', 2, -EBADMSG, 1};
    CHECK(asyncio_taskgroup_create_task(&g, late_adder, NULL));
    CHECK(asyncio_taskgroup_create_task(&g, child_task, &bad));
    CHECK_EQ(asyncio_taskgroup_wait(&g), -EBADMSG);
    CHECK_EQ(add_errno, ECANCELED);
    return 0;
}

static void test_child_cannot_add_to_a_failing_group(void) {
    CHECK_EQ(run_virtual(failing_adder_main, NULL), 0);
}

static int cancelled_is_not_failure_main(void *arg) {
    (void)arg;
    trace_reset();
    asyncio_taskgroup_t g;
    asyncio_taskgroup_init(&g);
    struct child c[3] = {{'A', 50, 0, 1}, {'B', 10, 0, 1}, {'C', 20, -ECANCELED, 1}};
    asyncio_task_t *a = asyncio_taskgroup_create_task(&g, child_task, &c[0]);
    for (int i = 1; i < 3; i++) CHECK(asyncio_taskgroup_create_task(&g, child_task, &c[i]));
    asyncio_sleep_ms(1);
    CHECK(asyncio_task_cancel(a)); /* cancelled from outside: not a failure */
    /* C returns -ECANCELED by itself: not a failure either; B runs to its end */
    CHECK_EQ(asyncio_taskgroup_wait(&g), 0);
    CHECK_STR(trace, "aBC");
    CHECK_EQ(asyncio_ticks_us(), 20000);
    return 0;
}

static void test_cancelled_child_is_not_a_failure(void) {
    CHECK_EQ(run_virtual(cancelled_is_not_failure_main, NULL), 0);
}

/* A server's accept loop: children added while a task waits on the group. */
struct acceptor_args {
    asyncio_taskgroup_t *g;
    struct child *conns;
    int n;
};

static int acceptor(void *arg) {
    struct acceptor_args *a = arg;
    for (int i = 0; i < a->n; i++) {
        if (asyncio_sleep_ms(10) < 0) return -ECANCELED;
        if (!asyncio_taskgroup_create_task(a->g, child_task, &a->conns[i])) return -errno;
    }
    note('L');
    return 0;
}

static int added_while_waiting_main(void *arg) {
    (void)arg;
    trace_reset();
    asyncio_taskgroup_t g;
    asyncio_taskgroup_init(&g);
    struct child conns[3] = {{'P', 25, 0, 1}, {'Q', 5, 0, 1}, {'R', 15, 0, 1}};
    struct acceptor_args a = {&g, conns, 3};
    CHECK(asyncio_taskgroup_create_task(&g, acceptor, &a));
    CHECK_EQ(asyncio_taskgroup_wait(&g), 0);
    /* P: 10+25=35, Q: 20+5=25, R: 30+15=45, acceptor done at 30 */
    CHECK_STR(trace, "QLPR");
    CHECK_EQ(asyncio_ticks_us(), 45000);
    return 0;
}

static void test_children_added_while_waiting(void) {
    CHECK_EQ(run_virtual(added_while_waiting_main, NULL), 0);
}

/* Cancelling the task that waits on the group cancels every child, and its
 * wait returns -ECANCELED once they have all ended. */
static int group_owner(void *arg) {
    struct child *c = arg;
    asyncio_taskgroup_t g;
    asyncio_taskgroup_init(&g);
    for (int i = 0; i < 3; i++) asyncio_taskgroup_create_task(&g, child_task, &c[i]);
    int r = asyncio_taskgroup_wait(&g);
    note('W');
    return r;
}

static int cancel_waiter_main(void *arg) {
    (void)arg;
    trace_reset();
    struct child c[3] = {{'A', 30, 0, 1}, {'B', 10, 0, 1}, {'C', 20, 0, 1}};
    asyncio_task_t *owner = asyncio_create_task(group_owner, c);
    asyncio_sleep_ms(15);
    CHECK(asyncio_task_cancel(owner));
    CHECK_EQ(asyncio_await(owner), -ECANCELED);
    CHECK_STR(trace, "BacW");
    CHECK_EQ(c[0].slept, -ECANCELED);
    CHECK_EQ(c[2].slept, -ECANCELED);
    CHECK_EQ(asyncio_ticks_us(), 15000);
    return 0;
}

static void test_cancelling_the_waiter_cancels_every_child(void) {
    CHECK_EQ(run_virtual(cancel_waiter_main, NULL), 0);
}

/* A child that uncancels itself to clean up keeps the waiter waiting. */
static int cleanup_child(void *arg) {
    (void)arg;
    if (asyncio_sleep_ms(100) == -ECANCELED) {
        asyncio_task_uncancel(asyncio_current_task());
        asyncio_sleep_ms(7); /* orderly shutdown */
        note('c');
        return -ECANCELED;
    }
    return 0;
}

static int cleanup_main(void *arg) {
    (void)arg;
    trace_reset();
    asyncio_taskgroup_t g;
    asyncio_taskgroup_init(&g);
    CHECK(asyncio_taskgroup_create_task(&g, cleanup_child, NULL));
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 10);
    CHECK_EQ(asyncio_taskgroup_wait(&g), -ETIMEDOUT); /* the scope cancels the children */
    CHECK(asyncio_timeout_exit(&scope));
    CHECK_STR(trace, "c");
    CHECK_EQ(asyncio_ticks_us(), 17000);
    return 0;
}

static void test_timeout_scope_and_child_cleanup(void) {
    CHECK_EQ(run_virtual(cleanup_main, NULL), 0);
}

/* A waiter cancelled before it calls wait still waits for the children to end. */
static int cancelled_before_wait_main(void *arg) {
    (void)arg;
    trace_reset();
    asyncio_taskgroup_t g;
    asyncio_taskgroup_init(&g);
    struct child c[2] = {{'A', 10, 0, 1}, {'B', 20, 0, 1}};
    asyncio_task_t *a = asyncio_taskgroup_create_task(&g, child_task, &c[0]);
    asyncio_taskgroup_create_task(&g, child_task, &c[1]);
    asyncio_sleep_ms(1);
    asyncio_task_cancel(asyncio_current_task());
    CHECK_EQ(asyncio_taskgroup_wait(&g), -ECANCELED);
    CHECK_STR(trace, "ab");
    (void)a;
    asyncio_task_uncancel(asyncio_current_task());
    return 0;
}

static void test_cancelled_before_wait(void) {
    CHECK_EQ(run_virtual(cancelled_before_wait_main, NULL), 0);
}

/* One waiter per group: a second concurrent wait is refused, and the first
 * one still returns when the children end. */
static int second_waiter(void *arg) { return asyncio_taskgroup_wait(arg); }

static int two_waiters_main(void *arg) {
    (void)arg;
    trace_reset();
    asyncio_taskgroup_t g;
    asyncio_taskgroup_init(&g);
    struct child c = {'A', 10, 0, 1};
    CHECK(asyncio_taskgroup_create_task(&g, child_task, &c));
    asyncio_task_t *other = asyncio_create_task(second_waiter, &g);
    asyncio_yield(); /* other waits on the group */
    CHECK_EQ(asyncio_taskgroup_wait(&g), -EINVAL);
    CHECK_EQ(asyncio_await(other), 0);
    CHECK_STR(trace, "A");
    CHECK_EQ(asyncio_ticks_us(), 10000);
    return 0;
}

static void test_second_concurrent_waiter_is_refused(void) {
    CHECK_EQ(run_virtual(two_waiters_main, NULL), 0);
}

static int bad_input_main(void *arg) {
    (void)arg;
    CHECK_EQ(asyncio_taskgroup_wait(NULL), -EINVAL);
    errno = 0;
    CHECK(asyncio_taskgroup_create_task(NULL, child_task, NULL) == NULL);
    CHECK_EQ(errno, EINVAL);
    asyncio_taskgroup_t g;
    asyncio_taskgroup_init(&g);
    errno = 0;
    CHECK(asyncio_taskgroup_create_task(&g, NULL, NULL) == NULL);
    CHECK_EQ(errno, EINVAL);
    asyncio_task_opts_t tiny = {.stack_size = 16};
    errno = 0;
    CHECK(asyncio_taskgroup_create_task_ex(&g, child_task, NULL, &tiny) == NULL);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(asyncio_taskgroup_wait(&g), 0);
    asyncio_taskgroup_init(NULL);
    return 0;
}

static void test_bad_input(void) {
    CHECK_EQ(run_virtual(bad_input_main, NULL), 0);
    asyncio_taskgroup_t g;
    asyncio_taskgroup_init(&g);
    CHECK_EQ(asyncio_taskgroup_wait(&g), -EPERM); /* outside a task */
}

int main(void) {
    RUN(test_waits_for_every_child);
    RUN(test_first_failure_cancels_the_rest_in_creation_order);
    RUN(test_failure_before_wait_and_adding_to_a_failing_group);
    RUN(test_child_cannot_add_to_a_failing_group);
    RUN(test_cancelled_child_is_not_a_failure);
    RUN(test_children_added_while_waiting);
    RUN(test_cancelling_the_waiter_cancels_every_child);
    RUN(test_timeout_scope_and_child_cleanup);
    RUN(test_cancelled_before_wait);
    RUN(test_second_concurrent_waiter_is_refused);
    RUN(test_bad_input);
    return check_summary();
}
