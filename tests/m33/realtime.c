/*
 * The loop on the emulated Cortex-M33's own clock (TIMER0, 20 MHz), not in
 * virtual time: sleeps end in deadline order, at their deadline and never
 * before it; the clock stays exact across TIMER0's 32-bit wrap (214.7 s);
 * timeouts, cancellation, a queue, an event and a lock hand over at the
 * times they should. The emulator's time advances with the instructions
 * run and jumps while the CPU waits in WFI (tests/m33/run.sh), so these
 * times are the firmware's own, whatever the host is doing. That jump also
 * makes the wrap test a test of the idle: a loop that spun instead of
 * sleeping in WFI would take qemu many minutes through those 215 s,
 * far past run.sh's limit.
 */
#include <errno.h>
#include <stdint.h>

#include "asyncio.h"
#include "check.h"

/* How late a wake-up may be: an alarm interrupt, a loop pass and a switch
 * take a few microseconds at the emulator's 125 million instructions a
 * second. */
#define LATE_US 100u

static uint64_t t0;

/* ---- sleeps in deadline order ------------------------------------------- */

#define SLEEPERS 6
static const uint32_t sleep_ms_of[SLEEPERS] = {30, 10, 50, 20, 40, 10};
static int wake_order[SLEEPERS], woken;
static uint64_t woke_at[SLEEPERS];

static int sleeper(void *arg) {
    int i = (int)(uintptr_t)arg;
    int r = asyncio_sleep_until_us(t0 + sleep_ms_of[i] * 1000u);
    woke_at[i] = asyncio_ticks_us() - t0;
    wake_order[woken++] = i;
    return r;
}

static int start_sleepers(void *arg) {
    (void)arg;
    asyncio_task_t *tasks[SLEEPERS];
    t0 = asyncio_ticks_us();
    for (int i = 0; i < SLEEPERS; i++) tasks[i] = asyncio_create_task(sleeper, (void *)(uintptr_t)i);
    return asyncio_gather(tasks, SLEEPERS, NULL, 0);
}

static void test_sleeps_end_in_deadline_order(void) {
    static const int want[SLEEPERS] = {1, 5, 3, 0, 4, 2}; /* equal deadlines: FIFO */
    CHECK_EQ(asyncio_run(start_sleepers, NULL), 0);
    CHECK_EQ(woken, SLEEPERS);
    for (int k = 0; k < SLEEPERS; k++) CHECK_EQ(wake_order[k], want[k]);
    for (int i = 0; i < SLEEPERS; i++) {
        CHECK(woke_at[i] >= sleep_ms_of[i] * 1000u);
        CHECK(woke_at[i] < sleep_ms_of[i] * 1000u + LATE_US);
    }
}

/* ---- the clock across TIMER0's wrap --------------------------------------- */

#define WRAP_US 214748365u /* 2^32 ticks of 20 MHz */

static int across_the_wrap(void *arg) {
    (void)arg;
    /* The first step is longer than the alarm's longest (100 s). */
    uint64_t start = asyncio_ticks_us();
    CHECK_EQ(asyncio_sleep_until_us(WRAP_US - 100000u), 0);
    uint64_t t = asyncio_ticks_us();
    CHECK(t >= WRAP_US - 100000u && t < WRAP_US - 100000u + LATE_US);
    int shortest = INT32_MAX, longest = 0;
    for (int i = 0; i < 200; i++) { /* 1 ms steps from 100 ms before the wrap to 100 ms after */
        uint64_t before = asyncio_ticks_us();
        if (asyncio_sleep_ms(1) < 0) return -ECANCELED;
        int step = (int)(asyncio_ticks_us() - before);
        if (step < shortest) shortest = step;
        if (step > longest) longest = step;
    }
    CHECK(shortest >= 1000);
    CHECK(longest < 1000 + (int)LATE_US);
    CHECK(asyncio_ticks_us() - start > WRAP_US);
    return 0;
}

static void test_clock_is_exact_across_the_timer_wrap(void) {
    CHECK_EQ(asyncio_run(across_the_wrap, NULL), 0);
}

/* ---- timeouts and cancellation ------------------------------------------- */

static int sleep_a_second(void *arg) {
    (void)arg;
    return asyncio_sleep(1.0);
}

static uint64_t elapsed_us(void) { return asyncio_ticks_us() - t0; }

static int timeouts_and_cancel(void *arg) {
    (void)arg;
    t0 = asyncio_ticks_us();
    CHECK_EQ(asyncio_wait_for_ms(asyncio_create_task(sleep_a_second, NULL), 25), -ETIMEDOUT);
    CHECK(elapsed_us() >= 25000 && elapsed_us() < 25000 + LATE_US);

    t0 = asyncio_ticks_us();
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 15);
    CHECK_EQ(asyncio_sleep_ms(100), -ETIMEDOUT);
    CHECK(asyncio_timeout_exit(&scope));
    CHECK(elapsed_us() >= 15000 && elapsed_us() < 15000 + LATE_US);

    t0 = asyncio_ticks_us();
    asyncio_task_t *sleeping = asyncio_create_task(sleep_a_second, NULL);
    CHECK_EQ(asyncio_sleep_ms(5), 0);
    CHECK(asyncio_task_cancel(sleeping));
    CHECK_EQ(asyncio_await(sleeping), -ECANCELED);
    CHECK(elapsed_us() >= 5000 && elapsed_us() < 5000 + LATE_US);
    return 0;
}

static void test_timeouts_and_cancellation_on_time(void) {
    CHECK_EQ(asyncio_run(timeouts_and_cancel, NULL), 0);
}

/* ---- a queue, an event and a lock ---------------------------------------- */

#define ITEMS 5
static asyncio_queue_t queue;
static uint32_t queue_slots[2];
static asyncio_event_t event = ASYNCIO_EVENT_INIT;
static asyncio_lock_t lock = ASYNCIO_LOCK_INIT;

static int producer(void *arg) {
    (void)arg;
    for (uint32_t i = 0; i < ITEMS; i++) {
        if (asyncio_sleep_ms(2) < 0) return -ECANCELED;
        if (asyncio_queue_put(&queue, &i) < 0) return -ECANCELED;
    }
    return 0;
}

static int lock_holder(void *arg) {
    (void)arg;
    if (asyncio_lock_acquire(&lock) < 0) return -ECANCELED;
    int r = asyncio_sleep_ms(3);
    asyncio_lock_release(&lock);
    return r;
}

static void set_event(void *arg) { asyncio_event_set(arg); }

static int hand_over(void *arg) {
    (void)arg;
    asyncio_queue_init(&queue, queue_slots, sizeof queue_slots[0], 2);
    t0 = asyncio_ticks_us();
    asyncio_task_t *p = asyncio_create_task(producer, NULL);
    for (uint32_t i = 0; i < ITEMS; i++) {
        uint32_t item = UINT32_MAX;
        CHECK_EQ(asyncio_queue_get(&queue, &item), 0);
        CHECK_EQ(item, i);
        CHECK(elapsed_us() >= 2000u * (i + 1u) && elapsed_us() < 2000u * (i + 1u) + LATE_US);
    }
    CHECK_EQ(asyncio_await(p), 0);

    t0 = asyncio_ticks_us();
    CHECK_EQ(asyncio_loop_call_later_ms(asyncio_get_event_loop(), 7, set_event, &event), 0);
    CHECK_EQ(asyncio_event_wait(&event), 0);
    CHECK(elapsed_us() >= 7000 && elapsed_us() < 7000 + LATE_US);

    t0 = asyncio_ticks_us();
    asyncio_task_t *holder = asyncio_create_task(lock_holder, NULL);
    CHECK_EQ(asyncio_yield(), 0); /* the holder takes the lock */
    CHECK(asyncio_lock_locked(&lock));
    CHECK_EQ(asyncio_lock_acquire(&lock), 0);
    CHECK(elapsed_us() >= 3000 && elapsed_us() < 3000 + LATE_US);
    asyncio_lock_release(&lock);
    return asyncio_await(holder);
}

static void test_queue_event_and_lock_hand_over_on_time(void) {
    CHECK_EQ(asyncio_run(hand_over, NULL), 0);
}

int main(void) {
    RUN(test_sleeps_end_in_deadline_order);
    RUN(test_timeouts_and_cancellation_on_time);
    RUN(test_queue_event_and_lock_hand_over_on_time);
    RUN(test_clock_is_exact_across_the_timer_wrap);
    return check_summary();
}
