/*
 * The driver interface (src/core/driver.h), as a driver uses it: a small
 * simulated device whose "interrupt" is another thread. The thread records
 * what happened and signals the driver's deferred record; the record's
 * function, in loop context, wakes the waiting task with driver_wake().
 * And a device whose interrupt hands the waiting task over to the loop
 * itself (driver_isr_wake), with no record to run.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>

#include "asyncio.h"
#include "check.h"

#include "../src/core/driver.h"

/* ---- a simulated device ----------------------------------------------------------- */

struct device {
    driver_deferred_t deferred; /* first: its fn finds the device from it */
    volatile uint32_t ready;    /* set by the "interrupt" */
    int value;                  /* what the interrupt delivered */
    asyncio_task_t *waiter;     /* the task in device_read, else NULL */
    int interrupts;             /* device_interrupted calls */
    pthread_t irq_thread;
};

/* Loop context, after the poll that followed a signal. */
static void device_deferred(driver_deferred_t *d) {
    struct device *dev = (struct device *)d;
    if (!port_atomic_swap(&dev->ready, 0) || !dev->waiter) return;
    asyncio_task_t *t = dev->waiter;
    dev->waiter = NULL;
    driver_wake(t, dev->value);
}

static void device_init(struct device *dev) {
    memset(dev, 0, sizeof *dev);
    dev->deferred.fn = device_deferred;
}

/* Cancelled or timed out first: the device forgets the waiter. */
static void device_interrupted(asyncio_task_t *t, int reason) {
    struct device *dev = driver_wait_data(t);
    dev->interrupts++;
    dev->waiter = NULL;
    driver_wake(t, reason);
}

/* The driver's suspending call: the value the next interrupt delivers. */
static int device_read(struct device *dev, uint64_t deadline_us) {
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err) return err;
    driver_deferred_add(driver_task_loop(self), &dev->deferred);
    dev->waiter = self;
    err = driver_wait(self, NULL, deadline_us, device_interrupted, dev);
    if (err == 0) dev->waiter = NULL; /* the deadline: nobody else disarmed it */
    return err;
}

struct irq_plan {
    struct device *dev;
    int value;
    long delay_ms;
};

static void *irq_thread_main(void *arg) {
    struct irq_plan *plan = arg;
    struct timespec ts = {plan->delay_ms / 1000, (plan->delay_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    plan->dev->value = plan->value;
    port_atomic_swap(&plan->dev->ready, 1);
    driver_deferred_signal(&plan->dev->deferred);
    return NULL;
}

static void irq_after(struct irq_plan *plan) {
    CHECK_EQ(pthread_create(&plan->dev->irq_thread, NULL, irq_thread_main, plan), 0);
}

/* ---- tests ----------------------------------------------------------------------- */

static struct device dev_a, dev_b;

static int read_a(void *arg) {
    (void)arg;
    return device_read(&dev_a, DRIVER_NO_DEADLINE);
}

static int read_b(void *arg) {
    (void)arg;
    return device_read(&dev_b, DRIVER_NO_DEADLINE);
}

/* Two drivers, two records, on one loop (real time): each interrupt wakes
 * its own task (no driver's record takes the place of another's). */
static int two_devices_main(void *arg) {
    (void)arg;
    asyncio_task_t *tasks[2] = {asyncio_create_task(read_a, NULL),
                                asyncio_create_task(read_b, NULL)};
    struct irq_plan a = {&dev_a, 11, 20}, b = {&dev_b, 22, 40};
    irq_after(&a);
    irq_after(&b);
    int results[2];
    asyncio_timeout_t guard; /* real time: a lost wake-up fails here */
    asyncio_timeout_enter_ms(&guard, 10000);
    int err = asyncio_gather(tasks, 2, results, 0);
    asyncio_timeout_exit(&guard);
    pthread_join(dev_a.irq_thread, NULL);
    pthread_join(dev_b.irq_thread, NULL);
    CHECK_EQ(err, 0);
    CHECK_EQ(results[0], 11);
    CHECK_EQ(results[1], 22);
    return 0;
}

static void test_each_driver_has_its_own_deferred_record(void) {
    device_init(&dev_a);
    device_init(&dev_b);
    CHECK_EQ(asyncio_run(two_devices_main, NULL), 0);
}

/* With virtual time and no timer left, a task in driver_wait is waiting on
 * the outside world: the loop blocks in the poller instead of calling it a
 * deadlock, and the clock does not move. */
static int external_main(void *arg) {
    (void)arg;
    uint64_t before = asyncio_ticks_us();
    struct irq_plan plan = {&dev_a, 7, 30};
    irq_after(&plan);
    int got = device_read(&dev_a, DRIVER_NO_DEADLINE);
    pthread_join(dev_a.irq_thread, NULL);
    CHECK_EQ(got, 7);
    CHECK_EQ(asyncio_ticks_us(), before);
    return 0;
}

static void test_an_external_wait_is_no_deadlock(void) {
    device_init(&dev_a);
    CHECK_EQ(run_virtual(external_main, NULL), 0);
}

static int cancel_me_main(void *arg) {
    (void)arg;
    return device_read(&dev_a, DRIVER_NO_DEADLINE);
}

/* Cancelling or timing out the waiter calls the driver's interrupt hook,
 * which disarms and wakes it with the reason. */
static int interrupted_main(void *arg) {
    (void)arg;
    asyncio_task_t *t = asyncio_create_task(cancel_me_main, NULL);
    CHECK_EQ(asyncio_sleep_ms(5), 0);
    CHECK(dev_a.waiter == t);
    asyncio_task_cancel(t);
    CHECK_EQ(asyncio_await(t), -ECANCELED);
    CHECK(dev_a.waiter == NULL);

    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 10);
    uint64_t start = asyncio_ticks_us();
    CHECK_EQ(device_read(&dev_a, DRIVER_NO_DEADLINE), -ETIMEDOUT);
    CHECK_EQ(asyncio_ticks_us() - start, 10000);
    CHECK(asyncio_timeout_exit(&scope));
    CHECK_EQ(dev_a.interrupts, 2);
    return 0;
}

static void test_interruptions_go_through_the_driver(void) {
    device_init(&dev_a);
    CHECK_EQ(run_virtual(interrupted_main, NULL), 0);
}

/* A deadline ends the wait with 0, without the interrupt hook. */
static int deadline_main(void *arg) {
    (void)arg;
    asyncio_loop_t *loop = asyncio_get_event_loop();
    uint64_t deadline = asyncio_loop_time_us(loop) + 2500;
    CHECK_EQ(device_read(&dev_a, deadline), 0);
    CHECK_EQ(asyncio_loop_time_us(loop), deadline);
    CHECK_EQ(dev_a.interrupts, 0);
    CHECK(dev_a.waiter == NULL);
    return 0;
}

static void test_a_deadline_wakes_with_zero(void) {
    device_init(&dev_a);
    CHECK_EQ(run_virtual(deadline_main, NULL), 0);
}

/* The checks of driver_wait_begin, and driver_wait_data of a task that is
 * not waiting. */
static int begin_main(void *arg) {
    (void)arg;
    asyncio_task_t *self = NULL;
    CHECK_EQ(driver_wait_begin(&self), 0);
    CHECK(self == asyncio_current_task());
    CHECK(driver_wait_data(self) == NULL);
    CHECK(driver_task_loop(self) == asyncio_get_event_loop());
    asyncio_task_cancel(self);
    CHECK_EQ(driver_wait_begin(&self), -ECANCELED);
    asyncio_task_uncancel(self);
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 0);
    CHECK_EQ(driver_wait_begin(&self), -ETIMEDOUT);
    asyncio_timeout_exit(&scope);
    return 0;
}

static void test_wait_begin_checks(void) {
    asyncio_task_t *self = NULL;
    CHECK_EQ(driver_wait_begin(&self), -EPERM);
    CHECK(self == NULL);
    CHECK_EQ(run_virtual(begin_main, NULL), 0);
}

/* A record signalled from outside a loop, then added, still runs (once);
 * a removed record's signal runs nothing. */
static int runs;
static void count_run(driver_deferred_t *d) {
    (void)d;
    runs++;
}

static int add_remove_main(void *arg) {
    (void)arg;
    static driver_deferred_t rec = {.fn = count_run};
    asyncio_loop_t *loop = asyncio_get_event_loop();
    driver_deferred_signal(&rec);
    driver_deferred_add(loop, &rec);
    CHECK_EQ(asyncio_sleep_ms(1), 0);
    CHECK_EQ(runs, 1);
    driver_deferred_signal(&rec);
    driver_deferred_signal(&rec);
    CHECK_EQ(asyncio_sleep_ms(1), 0);
    CHECK_EQ(runs, 2); /* two signals before a poll: one run */
    driver_deferred_remove(loop, &rec);
    driver_deferred_signal(&rec);
    CHECK_EQ(asyncio_sleep_ms(1), 0);
    CHECK_EQ(runs, 2);
    return 0;
}

static void test_records_added_signalled_removed(void) {
    runs = 0;
    CHECK_EQ(run_virtual(add_remove_main, NULL), 0);
}

/* ---- a device whose interrupt hands its waiting task over (driver_isr_wake) ------- */

/* A read in progress: the hand-over lives in the waiting call's frame. */
struct isr_read {
    driver_isr_wake_t wake;
    struct isr_device *dev;
};

struct isr_device {
    struct isr_read *armed; /* the read the next interrupt ends, else NULL */
    int interrupts;         /* isr_device_interrupted calls */
    pthread_t irq_thread;
};

static struct isr_device isr_a, isr_b;

/* Cancelled or timed out first: the device disarms, and a hand-over the
 * interrupt made meanwhile is taken back. */
static void isr_device_interrupted(asyncio_task_t *t, int reason) {
    struct isr_read *r = driver_wait_data(t);
    if (r->dev->armed == r) r->dev->armed = NULL;
    driver_isr_wake_withdraw(&r->wake);
    r->dev->interrupts++;
    driver_wake(t, reason);
}

static int isr_device_read(struct isr_device *dev) {
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err) return err;
    struct isr_read r = {.dev = dev};
    driver_isr_wake_init(&r.wake, self);
    dev->armed = &r;
    return driver_wait(self, NULL, DRIVER_NO_DEADLINE, isr_device_interrupted, &r);
}

/* The interrupt: the armed read ends with `value`. */
static void isr_device_fire(struct isr_device *dev, int value) {
    struct isr_read *r = dev->armed;
    dev->armed = NULL;
    driver_isr_wake(&r->wake, value);
}

static int isr_fire_value;
static void *isr_thread_main(void *arg) {
    struct isr_device *dev = arg;
    struct timespec ts = {0, 20 * 1000000L};
    nanosleep(&ts, NULL);
    isr_device_fire(dev, isr_fire_value);
    return NULL;
}

static int isr_read_a(void *arg) {
    (void)arg;
    return isr_device_read(&isr_a);
}

/* An interrupt (another thread) hands the task over; the loop, asleep in
 * the poller, wakes and the task ends its wait with the value. */
static int isr_thread_main_task(void *arg) {
    (void)arg;
    isr_fire_value = 42;
    asyncio_task_t *t = asyncio_create_task(isr_read_a, NULL);
    CHECK_EQ(asyncio_yield(), 0); /* it waits */
    CHECK(isr_a.armed != NULL);
    CHECK_EQ(pthread_create(&isr_a.irq_thread, NULL, isr_thread_main, &isr_a), 0);
    asyncio_timeout_t guard; /* real time: a lost wake-up fails here */
    asyncio_timeout_enter_ms(&guard, 10000);
    int got = asyncio_await(t);
    asyncio_timeout_exit(&guard);
    pthread_join(isr_a.irq_thread, NULL);
    CHECK_EQ(got, 42);
    return 0;
}

static void test_an_interrupt_hands_a_task_over(void) {
    memset(&isr_a, 0, sizeof isr_a);
    CHECK_EQ(asyncio_run(isr_thread_main_task, NULL), 0);
}

/* Hand-overs made before one poll wake their tasks in the order they were
 * made (here from loop context, which driver_isr_wake allows too). */
static int woken[2], n_woken;
static int isr_read_noting(void *arg) {
    struct isr_device *dev = arg;
    int v = isr_device_read(dev);
    woken[n_woken++] = v;
    return v;
}

static int hand_over_order_main(void *arg) {
    (void)arg;
    asyncio_task_t *t[2] = {asyncio_create_task(isr_read_noting, &isr_a),
                            asyncio_create_task(isr_read_noting, &isr_b)};
    CHECK_EQ(asyncio_yield(), 0); /* both wait */
    isr_device_fire(&isr_b, 2);
    isr_device_fire(&isr_a, 1);
    int results[2];
    CHECK_EQ(asyncio_gather(t, 2, results, 0), 0);
    CHECK_EQ(results[0], 1);
    CHECK_EQ(results[1], 2);
    CHECK_EQ(n_woken, 2);
    CHECK_EQ(woken[0], 2); /* b's was handed over first */
    CHECK_EQ(woken[1], 1);
    return 0;
}

static void test_hand_overs_wake_in_their_order(void) {
    memset(&isr_a, 0, sizeof isr_a);
    memset(&isr_b, 0, sizeof isr_b);
    n_woken = 0;
    CHECK_EQ(run_virtual(hand_over_order_main, NULL), 0);
}

/* A read cancelled after its interrupt but before the loop ran the
 * hand-over ends with the cancellation; one that times out ends with
 * -ETIMEDOUT; each time the device's hook runs, and the next read gets its
 * own interrupt's value. */
static int interrupted_hand_over_main(void *arg) {
    (void)arg;
    asyncio_task_t *t = asyncio_create_task(isr_read_a, NULL);
    CHECK_EQ(asyncio_yield(), 0);
    isr_device_fire(&isr_a, 7);
    asyncio_task_cancel(t);
    CHECK_EQ(asyncio_await(t), -ECANCELED);
    CHECK_EQ(isr_a.interrupts, 1);

    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 3);
    CHECK_EQ(isr_device_read(&isr_a), -ETIMEDOUT);
    CHECK(asyncio_timeout_exit(&scope));
    CHECK_EQ(isr_a.interrupts, 2);
    CHECK(isr_a.armed == NULL);

    t = asyncio_create_task(isr_read_a, NULL);
    CHECK_EQ(asyncio_yield(), 0);
    isr_device_fire(&isr_a, 8);
    CHECK_EQ(asyncio_await(t), 8);
    CHECK_EQ(isr_a.interrupts, 2);
    return 0;
}

static void test_an_interrupted_hand_over_is_taken_back(void) {
    memset(&isr_a, 0, sizeof isr_a);
    CHECK_EQ(run_virtual(interrupted_hand_over_main, NULL), 0);
}

int main(void) {
    RUN(test_each_driver_has_its_own_deferred_record);
    RUN(test_an_external_wait_is_no_deadlock);
    RUN(test_interruptions_go_through_the_driver);
    RUN(test_a_deadline_wakes_with_zero);
    RUN(test_wait_begin_checks);
    RUN(test_records_added_signalled_removed);
    RUN(test_an_interrupt_hands_a_task_over);
    RUN(test_hand_overs_wake_in_their_order);
    RUN(test_an_interrupted_hand_over_is_taken_back);
    return check_summary();
}
