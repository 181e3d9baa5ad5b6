/* asyncio_queue_t: a bounded FIFO of fixed-size items between tasks. */
#include "asyncio.h"
#include "check.h"
#include "trace.h"

struct msg {
    int id;
    char tag;
};

static struct msg storage[3];
static asyncio_queue_t q = ASYNCIO_QUEUE_INIT(storage, sizeof(struct msg), 3);

/* ---- tests -------------------------------------------------------------------- */

static void test_init_validates_arguments(void) {
    asyncio_queue_t local;
    int buf[4];
    CHECK_EQ(asyncio_queue_init(NULL, buf, sizeof buf[0], 4), -EINVAL);
    CHECK_EQ(asyncio_queue_init(&local, NULL, sizeof buf[0], 4), -EINVAL);
    CHECK_EQ(asyncio_queue_init(&local, buf, 0, 4), -EINVAL);
    CHECK_EQ(asyncio_queue_init(&local, buf, sizeof buf[0], 0), -EINVAL);
    CHECK_EQ(asyncio_queue_init(&local, buf, SIZE_MAX / 2, 4), -EINVAL); /* size overflows */
    CHECK_EQ(asyncio_queue_init(&local, buf, sizeof buf[0], 4), 0);
    CHECK(asyncio_queue_empty(&local));
    CHECK(!asyncio_queue_full(&local));
    CHECK_EQ(asyncio_queue_qsize(&local), 0);

    /* a queue whose initialisation failed (or was never done) is refused */
    asyncio_queue_t zero = ASYNCIO_QUEUE_INIT(NULL, 0, 0);
    int x = 1;
    CHECK_EQ(asyncio_queue_put_nowait(&zero, &x), -EINVAL);
    CHECK_EQ(asyncio_queue_get_nowait(&zero, &x), -EINVAL);
    CHECK_EQ(asyncio_queue_put_nowait(NULL, &x), -EINVAL);
    CHECK_EQ(asyncio_queue_put_nowait(&local, NULL), -EINVAL);
    CHECK_EQ(asyncio_queue_get_nowait(&local, NULL), -EINVAL);
    CHECK_EQ(asyncio_queue_put(NULL, &x), -EINVAL);
    CHECK_EQ(asyncio_queue_get(&local, NULL), -EINVAL);
    CHECK_EQ(asyncio_queue_qsize(NULL), 0);
    CHECK(asyncio_queue_empty(NULL));
    CHECK(!asyncio_queue_full(NULL));
}

static void test_nowait_keeps_fifo_order_across_the_wrap(void) {
    /* no loop needed: the _nowait calls never suspend */
    asyncio_queue_t r;
    int buf[3];
    CHECK_EQ(asyncio_queue_init(&r, buf, sizeof buf[0], 3), 0);
    int next_in = 0, next_out = 0, v;
    for (int round = 0; round < 5; round++) {
        while (asyncio_queue_put_nowait(&r, &next_in) == 0) next_in++;
        CHECK(asyncio_queue_full(&r));
        CHECK_EQ(asyncio_queue_qsize(&r), 3);
        CHECK_EQ(asyncio_queue_put_nowait(&r, &next_in), -EAGAIN);
        for (int k = 0; k < 2; k++) { /* take two: the ring's head moves on */
            CHECK_EQ(asyncio_queue_get_nowait(&r, &v), 0);
            CHECK_EQ(v, next_out++);
        }
    }
    while (asyncio_queue_get_nowait(&r, &v) == 0) CHECK_EQ(v, next_out++);
    CHECK_EQ(next_out, next_in);
    CHECK(asyncio_queue_empty(&r));
    CHECK_EQ(asyncio_queue_get_nowait(&r, &v), -EAGAIN);
    CHECK_EQ(asyncio_queue_put(&r, &v), -EPERM); /* the suspending forms need a task */
    CHECK_EQ(asyncio_queue_get(&r, &v), -EPERM);
}

static int other_ran;
static int mark_other(void *arg) {
    (void)arg;
    other_ran = 1;
    return 0;
}

static int no_switch_main(void *arg) {
    (void)arg;
    CHECK_EQ(asyncio_queue_init(&q, storage, sizeof storage[0], 3), 0);
    other_ran = 0;
    asyncio_task_t *other = asyncio_create_task(mark_other, NULL);
    struct msg in = {1, 'a'}, out = {0, 0};
    CHECK_EQ(asyncio_queue_put(&q, &in), 0);
    CHECK_EQ(asyncio_queue_get(&q, &out), 0);
    CHECK_EQ(other_ran, 0); /* room and an item: neither call switched */
    CHECK_EQ(out.id, 1);
    CHECK_EQ(out.tag, 'a');
    return asyncio_await(other);
}

static void test_put_and_get_without_switching(void) {
    CHECK_EQ(run_virtual(no_switch_main, NULL), 0);
}

/* Getters blocked on an empty queue are served in the order they came. */
struct getter {
    char name;
    uint32_t delay_ms;
    int result;
    struct msg got;
};

static int getter_task(void *arg) {
    struct getter *g = arg;
    if (g->delay_ms) asyncio_sleep_ms(g->delay_ms);
    g->result = asyncio_queue_get(&q, &g->got);
    if (g->result == 0) note(g->name);
    return g->result;
}

static int getters_main(void *arg) {
    (void)arg;
    CHECK_EQ(asyncio_queue_init(&q, storage, sizeof storage[0], 3), 0);
    trace_reset();
    struct getter g[3] = {{'a', 3, 1, {0, 0}}, {'b', 1, 1, {0, 0}}, {'c', 2, 1, {0, 0}}};
    asyncio_task_t *t[3];
    for (int i = 0; i < 3; i++) t[i] = asyncio_create_task(getter_task, &g[i]);
    asyncio_sleep_ms(10); /* they wait in the order b, c, a */
    for (int i = 0; i < 3; i++) {
        struct msg m = {100 + i, 'm'};
        CHECK_EQ(asyncio_queue_put(&q, &m), 0);
        CHECK(asyncio_queue_empty(&q)); /* handed to a getter, not queued */
    }
    CHECK_EQ(asyncio_gather(t, 3, NULL, 0), 0);
    CHECK_STR(trace, "bca");
    CHECK_EQ(g[1].got.id, 100);
    CHECK_EQ(g[2].got.id, 101);
    CHECK_EQ(g[0].got.id, 102);
    return 0;
}

static void test_getters_in_fifo_order(void) { CHECK_EQ(run_virtual(getters_main, NULL), 0); }

struct putter {
    char name;
    uint32_t delay_ms;
    int result;
    struct msg item;
};

static int putter_task(void *arg) {
    struct putter *p = arg;
    if (p->delay_ms) asyncio_sleep_ms(p->delay_ms);
    p->result = asyncio_queue_put(&q, &p->item);
    if (p->result == 0) note(p->name);
    return p->result;
}

static int putters_main(void *arg) {
    (void)arg;
    CHECK_EQ(asyncio_queue_init(&q, storage, sizeof storage[0], 3), 0);
    trace_reset();
    for (int i = 0; i < 3; i++) {
        struct msg m = {i, 'q'};
        CHECK_EQ(asyncio_queue_put_nowait(&q, &m), 0);
    }
    struct putter p[3] = {{'a', 3, 1, {10, 'a'}}, {'b', 1, 1, {11, 'b'}}, {'c', 2, 1, {12, 'c'}}};
    asyncio_task_t *t[3];
    for (int i = 0; i < 3; i++) t[i] = asyncio_create_task(putter_task, &p[i]);
    asyncio_sleep_ms(10); /* they wait on the full queue in the order b, c, a */
    CHECK_EQ(trace_len, 0);
    int expect[] = {0, 1, 2, 11, 12, 10};
    for (int i = 0; i < 6; i++) {
        struct msg m;
        CHECK_EQ(asyncio_queue_get(&q, &m), 0);
        CHECK_EQ(m.id, expect[i]);
        if (i < 3) CHECK(asyncio_queue_full(&q)); /* a putter filled the slot at once */
    }
    CHECK_EQ(asyncio_gather(t, 3, NULL, 0), 0);
    CHECK_STR(trace, "bca");
    CHECK(asyncio_queue_empty(&q));
    return 0;
}

static void test_putters_in_fifo_order(void) { CHECK_EQ(run_virtual(putters_main, NULL), 0); }

/* Producer and consumer: the producer runs ahead until the queue is full,
 * then moves at the consumer's pace; nothing is lost or reordered. */
#define N_ITEMS 200
static int max_qsize, producer_blocked;

static int producer(void *arg) {
    (void)arg;
    for (int i = 0; i < N_ITEMS; i++) {
        struct msg m = {i, 'p'};
        if (asyncio_queue_full(&q)) producer_blocked++;
        if (asyncio_queue_put(&q, &m) < 0) return -1;
        if ((int)asyncio_queue_qsize(&q) > max_qsize) max_qsize = (int)asyncio_queue_qsize(&q);
    }
    struct msg end = {-1, 'e'};
    return asyncio_queue_put(&q, &end);
}

static int consumer(void *arg) {
    int *sum = arg;
    for (int expect = 0;; expect++) {
        struct msg m;
        if (asyncio_queue_get(&q, &m) < 0) return -1;
        if (m.id < 0) return expect;
        if (m.id != expect) return -100;
        *sum += m.id;
        if (m.id % 7 == 0) asyncio_sleep_ms(1); /* a slow consumer now and then */
    }
}

static int producer_consumer_main(void *arg) {
    (void)arg;
    CHECK_EQ(asyncio_queue_init(&q, storage, sizeof storage[0], 3), 0);
    max_qsize = producer_blocked = 0;
    int sum = 0;
    asyncio_task_t *t[2] = {asyncio_create_task(producer, NULL),
                            asyncio_create_task(consumer, &sum)};
    int results[2];
    CHECK_EQ(asyncio_gather(t, 2, results, 0), 0);
    CHECK_EQ(results[1], N_ITEMS);
    CHECK_EQ(sum, N_ITEMS * (N_ITEMS - 1) / 2);
    CHECK_EQ(max_qsize, 3);
    CHECK(producer_blocked > 0);
    CHECK(asyncio_queue_empty(&q));
    return 0;
}

static void test_producer_consumer_with_a_full_queue(void) {
    CHECK_EQ(run_virtual(producer_consumer_main, NULL), 0);
}

/* Cancellation of a getter: before, while waiting, after it was handed an item. */
static int cancel_getter_main(void *arg) {
    (void)arg;
    CHECK_EQ(asyncio_queue_init(&q, storage, sizeof storage[0], 3), 0);
    trace_reset();
    asyncio_task_t *self = asyncio_current_task();
    struct msg m = {1, 'x'}, out = {0, 0};

    /* before: a cancelled task takes nothing, even from a non-empty queue */
    CHECK_EQ(asyncio_queue_put_nowait(&q, &m), 0);
    asyncio_task_cancel(self);
    CHECK_EQ(asyncio_queue_get(&q, &out), -ECANCELED);
    CHECK_EQ(asyncio_queue_put(&q, &m), -ECANCELED);
    CHECK_EQ(asyncio_queue_qsize(&q), 1);
    asyncio_task_uncancel(self);
    CHECK_EQ(asyncio_queue_get_nowait(&q, &out), 0);

    /* while waiting: the cancelled getter leaves, the next getter gets the item */
    struct getter g[2] = {{'a', 0, 1, {0, 0}}, {'b', 0, 1, {0, 0}}};
    asyncio_task_t *t[2];
    for (int i = 0; i < 2; i++) t[i] = asyncio_create_task(getter_task, &g[i]);
    asyncio_yield();
    CHECK(asyncio_task_cancel(t[0]));
    m.id = 2;
    CHECK_EQ(asyncio_queue_put(&q, &m), 0);
    int results[2];
    CHECK_EQ(asyncio_gather(t, 2, results, ASYNCIO_RETURN_EXCEPTIONS), 0);
    CHECK_EQ(results[0], -ECANCELED);
    CHECK_EQ(g[0].got.id, 0); /* untouched */
    CHECK_EQ(results[1], 0);
    CHECK_EQ(g[1].got.id, 2);
    CHECK(asyncio_queue_empty(&q));

    /* after the hand-off: the item is its, get returned 0 */
    struct getter late = {'c', 0, 1, {0, 0}};
    asyncio_task_t *c = asyncio_create_task(getter_task, &late);
    asyncio_yield();
    m.id = 3;
    CHECK_EQ(asyncio_queue_put(&q, &m), 0);
    CHECK(asyncio_task_cancel(c));
    CHECK_EQ(asyncio_await(c), 0);
    CHECK_EQ(late.got.id, 3);
    CHECK(asyncio_queue_empty(&q));
    CHECK_STR(trace, "bc");

    /* a getter timed out by its scope takes nothing either */
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 5);
    CHECK_EQ(asyncio_queue_get(&q, &out), -ETIMEDOUT);
    CHECK(asyncio_timeout_exit(&scope));
    m.id = 4;
    CHECK_EQ(asyncio_queue_put(&q, &m), 0);
    CHECK_EQ(asyncio_queue_qsize(&q), 1);
    CHECK_EQ(asyncio_queue_get(&q, &out), 0);
    CHECK_EQ(out.id, 4);
    return 0;
}

static void test_cancelled_getter_loses_no_item(void) {
    CHECK_EQ(run_virtual(cancel_getter_main, NULL), 0);
}

static int cancel_putter_main(void *arg) {
    (void)arg;
    CHECK_EQ(asyncio_queue_init(&q, storage, sizeof storage[0], 3), 0);
    trace_reset();
    for (int i = 0; i < 3; i++) {
        struct msg m = {i, 'q'};
        CHECK_EQ(asyncio_queue_put_nowait(&q, &m), 0);
    }

    /* while waiting: a cancelled putter's item never enters the queue */
    struct putter p[2] = {{'a', 0, 1, {10, 'a'}}, {'b', 0, 1, {11, 'b'}}};
    asyncio_task_t *t[2];
    for (int i = 0; i < 2; i++) t[i] = asyncio_create_task(putter_task, &p[i]);
    asyncio_yield();
    CHECK(asyncio_task_cancel(t[0]));
    int results[2];
    struct msg m;
    CHECK_EQ(asyncio_queue_get(&q, &m), 0); /* frees a slot: b's item goes in */
    CHECK_EQ(m.id, 0);
    CHECK_EQ(asyncio_gather(t, 2, results, ASYNCIO_RETURN_EXCEPTIONS), 0);
    CHECK_EQ(results[0], -ECANCELED);
    CHECK_EQ(results[1], 0);
    CHECK(asyncio_queue_full(&q));

    /* after the hand-off: the item went in, put returned 0 */
    struct putter late = {'c', 0, 1, {12, 'c'}};
    asyncio_task_t *c = asyncio_create_task(putter_task, &late);
    asyncio_yield();
    CHECK_EQ(asyncio_queue_get(&q, &m), 0);
    CHECK_EQ(m.id, 1);
    CHECK(asyncio_task_cancel(c));
    CHECK_EQ(asyncio_await(c), 0);

    int expect[] = {2, 11, 12};
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(asyncio_queue_get_nowait(&q, &m), 0);
        CHECK_EQ(m.id, expect[i]);
    }
    CHECK(asyncio_queue_empty(&q));
    CHECK_STR(trace, "bc");

    /* a putter timed out by its scope adds nothing */
    for (int i = 0; i < 3; i++) asyncio_queue_put_nowait(&q, &m);
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 5);
    m.id = 99;
    CHECK_EQ(asyncio_queue_put(&q, &m), -ETIMEDOUT);
    CHECK(asyncio_timeout_exit(&scope));
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(asyncio_queue_get_nowait(&q, &m), 0);
        CHECK(m.id != 99);
    }
    CHECK(asyncio_queue_empty(&q));
    return 0;
}

static void test_cancelled_putter_adds_no_item(void) {
    CHECK_EQ(run_virtual(cancel_putter_main, NULL), 0);
}

/* The _nowait forms serve blocked tasks too, e.g. from a callback. */
static void feed_cb(void *arg) {
    struct msg m = {42, 'f'};
    CHECK_EQ(asyncio_queue_put_nowait(arg, &m), 0);
}

static int nowait_hand_off_main(void *arg) {
    (void)arg;
    CHECK_EQ(asyncio_queue_init(&q, storage, sizeof storage[0], 1), 0);
    CHECK_EQ(asyncio_loop_call_later_ms(asyncio_get_event_loop(), 4, feed_cb, &q), 0);
    struct msg m;
    CHECK_EQ(asyncio_queue_get(&q, &m), 0);
    CHECK_EQ(m.id, 42);
    CHECK_EQ(asyncio_ticks_us(), 4000);

    /* a blocked putter is let in by get_nowait */
    trace_reset();
    CHECK_EQ(asyncio_queue_put_nowait(&q, &m), 0);
    struct putter p = {'p', 0, 1, {7, 'p'}};
    asyncio_task_t *t = asyncio_create_task(putter_task, &p);
    asyncio_yield();
    CHECK_EQ(asyncio_queue_get_nowait(&q, &m), 0);
    CHECK_EQ(m.id, 42);
    CHECK(asyncio_queue_full(&q));
    CHECK_EQ(asyncio_await(t), 0);
    CHECK_EQ(asyncio_queue_get_nowait(&q, &m), 0);
    CHECK_EQ(m.id, 7);
    return 0;
}

static void test_nowait_serves_blocked_tasks(void) {
    CHECK_EQ(run_virtual(nowait_hand_off_main, NULL), 0);
}

int main(void) {
    RUN(test_init_validates_arguments);
    RUN(test_nowait_keeps_fifo_order_across_the_wrap);
    RUN(test_put_and_get_without_switching);
    RUN(test_getters_in_fifo_order);
    RUN(test_putters_in_fifo_order);
    RUN(test_producer_consumer_with_a_full_queue);
    RUN(test_cancelled_getter_loses_no_item);
    RUN(test_cancelled_putter_adds_no_item);
    RUN(test_nowait_serves_blocked_tasks);
    return check_summary();
}
