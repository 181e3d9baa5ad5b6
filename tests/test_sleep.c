/* asyncio_sleep and friends: who wakes when, and in what order. */
#include <stdlib.h>
#include <string.h>

#include "asyncio.h"
#include "check.h"

/* ---- equal deadlines wake in the order the sleeps were made ---------------- */

static int order[16], order_len;

static int sleep_then_note(void *arg) {
    asyncio_sleep_ms(100);
    order[order_len++] = (int)(intptr_t)arg;
    return 0;
}

static int start_five_sleepers(void *arg) {
    (void)arg;
    asyncio_task_t *t[5];
    for (int i = 0; i < 5; i++) t[i] = asyncio_create_task(sleep_then_note, (void *)(intptr_t)i);
    return asyncio_gather(t, 5, NULL, 0);
}

static void test_equal_deadlines_are_fifo(void) {
    order_len = 0;
    CHECK_EQ(run_virtual(start_five_sleepers, NULL), 0);
    CHECK_EQ(order_len, 5);
    for (int i = 0; i < 5; i++) CHECK_EQ(order[i], i);
}

/* ---- two periods interleave at exact virtual times --------------------------- */

static char log_buf[512];
static size_t log_len;

static void log_event(const char *who) {
    log_len += (size_t)snprintf(log_buf + log_len, sizeof log_buf - log_len, "%s@%llu ", who,
                                (unsigned long long)asyncio_ticks_ms());
}

static int every_300ms(void *arg) {
    (void)arg;
    for (int i = 0; i < 4; i++) {
        log_event("slow");
        asyncio_sleep_ms(300);
    }
    return 0;
}

static int every_200ms(void *arg) {
    (void)arg;
    for (int i = 0; i < 5; i++) {
        log_event("fast");
        asyncio_sleep(0.2);
    }
    return 0;
}

static int run_both(void *arg) {
    (void)arg;
    asyncio_task_t *t[2] = {asyncio_create_task(every_300ms, NULL),
                            asyncio_create_task(every_200ms, NULL)};
    return asyncio_gather(t, 2, NULL, 0);
}

static void test_periods_interleave_exactly(void) {
    log_len = 0;
    CHECK_EQ(run_virtual(run_both, NULL), 0);
    /* At 600 ms both wake: slow's sleep (set at 300) was made before fast's
     * (set at 400), so slow goes first. */
    CHECK_STR(log_buf, "slow@0 fast@0 fast@200 slow@300 fast@400 slow@600 fast@600 fast@800 "
                       "slow@900 ");
}

/* ---- durations ----------------------------------------------------------------- */

static int measure_sleeps(void *arg) {
    uint64_t *elapsed = arg;
    uint64_t t0 = asyncio_ticks_us();
    asyncio_sleep(0.0000015); /* 1.5 us rounds up to 2 */
    elapsed[0] = asyncio_ticks_us() - t0;
    t0 = asyncio_ticks_us();
    asyncio_sleep_us(7);
    elapsed[1] = asyncio_ticks_us() - t0;
    t0 = asyncio_ticks_us();
    asyncio_sleep(-3); /* negative: just a yield */
    elapsed[2] = asyncio_ticks_us() - t0;
    t0 = asyncio_ticks_us();
    asyncio_sleep_ms(1500);
    elapsed[3] = asyncio_ticks_us() - t0;
    return 0;
}

static void test_durations_round_up_to_microseconds(void) {
    uint64_t elapsed[4];
    CHECK_EQ(run_virtual(measure_sleeps, elapsed), 0);
    CHECK_EQ(elapsed[0], 2);
    CHECK_EQ(elapsed[1], 7);
    CHECK_EQ(elapsed[2], 0);
    CHECK_EQ(elapsed[3], 1500000);
}

/* ---- outside a task nothing sleeps ---------------------------------------------- */

static void test_sleep_outside_a_task_is_eperm(void) {
    CHECK_EQ(asyncio_sleep(1.0), -EPERM);
    CHECK_EQ(asyncio_sleep_ms(1), -EPERM);
    CHECK_EQ(asyncio_sleep_us(1), -EPERM);
    CHECK_EQ(asyncio_yield(), -EPERM);
}

/* ---- a sleep never ends before its deadline (real clock) ------------------------- */

static int short_sleeps(void *arg) {
    int *early = arg;
    for (int i = 0; i < 300; i++) {
        uint32_t us = 50u + (uint32_t)(i % 7) * 100u;
        uint64_t t0 = asyncio_ticks_us();
        asyncio_sleep_us(us);
        if (asyncio_ticks_us() - t0 < us) (*early)++;
    }
    return 0;
}

static int many_short_sleepers(void *arg) {
    asyncio_task_t *t[4];
    for (int i = 0; i < 4; i++) t[i] = asyncio_create_task(short_sleeps, arg);
    return asyncio_gather(t, 4, NULL, 0);
}

static void test_sleep_never_ends_early_in_real_time(void) {
    int early = 0;
    CHECK_EQ(asyncio_run(many_short_sleepers, &early), 0);
    CHECK_EQ(early, 0);
}

/* ---- 10,000 tasks with random sleeps wake in deadline order, exactly on time ----- */

#define N_RANDOM 10000
static uint32_t random_ms[N_RANDOM];
static uint64_t woke_at[N_RANDOM];
static int wake_seq[N_RANDOM], wake_count;

static int random_sleeper(void *arg) {
    int i = (int)(intptr_t)arg;
    asyncio_sleep_ms(random_ms[i]);
    woke_at[i] = asyncio_ticks_us();
    wake_seq[wake_count++] = i;
    return 0;
}

static int spawn_random_sleepers(void *arg) {
    (void)arg;
    static asyncio_task_t *t[N_RANDOM];
    for (int i = 0; i < N_RANDOM; i++)
        t[i] = asyncio_create_task(random_sleeper, (void *)(intptr_t)i);
    return asyncio_gather(t, N_RANDOM, NULL, 0);
}

static void test_ten_thousand_random_sleeps(void) {
    srand(12345);
    for (int i = 0; i < N_RANDOM; i++) random_ms[i] = (uint32_t)(rand() % 10000);
    wake_count = 0;
    CHECK_EQ(run_virtual(spawn_random_sleepers, NULL), 0);
    CHECK_EQ(wake_count, N_RANDOM);
    int exact = 0, ordered = 1;
    for (int i = 0; i < N_RANDOM; i++) exact += woke_at[i] == random_ms[i] * 1000ull;
    for (int k = 1; k < wake_count; k++) {
        int a = wake_seq[k - 1], b = wake_seq[k];
        /* deadline order; equal deadlines in creation order */
        if (random_ms[a] > random_ms[b] || (random_ms[a] == random_ms[b] && a > b)) ordered = 0;
    }
    CHECK_EQ(exact, N_RANDOM);
    CHECK(ordered);
}

/* ---- cancelled sleeps leave the heap, the others still wake in order ----------- */

/* 3,000 sleepers of 0-10 s, and a canceller that cancels 1,000 of them, one
 * every 3 ms, picked at random: a cancelled sleep's timer leaves from the
 * middle of the heap, and the heap's last entry moves into its place, up or
 * down. The sleepers sleep an even number of ms and the cancels come at odd
 * ms, so that each sleeper is cancelled while asleep or has woken already.
 * Those not cancelled wake in deadline order (equal deadlines in the order
 * the sleeps were made), each exactly on time; a cancelled one, when it is
 * cancelled, with -ECANCELED. */

#define N_CANCEL_SLEEPERS 3000
#define N_CANCELS         1000
static uint32_t sleep_ms[N_CANCEL_SLEEPERS], cancelled_at_ms[N_CANCEL_SLEEPERS];
static int victims[N_CANCELS];
static asyncio_task_t *sleepers[N_CANCEL_SLEEPERS];
static uint64_t ended_at[N_CANCEL_SLEEPERS];
static int ended_rc[N_CANCEL_SLEEPERS], ended_seq[N_CANCEL_SLEEPERS], ended_count;

static int sleeper_noting_its_end(void *arg) {
    int i = (int)(intptr_t)arg;
    ended_rc[i] = asyncio_sleep_ms(sleep_ms[i]);
    ended_at[i] = asyncio_ticks_us();
    ended_seq[ended_count++] = i;
    return 0;
}

static int canceller(void *arg) {
    (void)arg;
    for (int k = 0; k < N_CANCELS; k++) {
        uint32_t at_ms = 1u + 3u * (uint32_t)k; /* odd */
        asyncio_sleep_ms(at_ms - (uint32_t)asyncio_ticks_ms());
        int v = victims[k];
        if (sleep_ms[v] > at_ms) { /* still asleep */
            CHECK(asyncio_task_cancel(sleepers[v]));
            cancelled_at_ms[v] = at_ms;
        }
    }
    return 0;
}

static int spawn_sleepers_and_canceller(void *arg) {
    (void)arg;
    for (int i = 0; i < N_CANCEL_SLEEPERS; i++)
        sleepers[i] = asyncio_create_task(sleeper_noting_its_end, (void *)(intptr_t)i);
    asyncio_task_t *c = asyncio_create_task(canceller, NULL);
    int rc = asyncio_gather(sleepers, N_CANCEL_SLEEPERS, NULL, 0);
    return rc < 0 ? rc : asyncio_await(c);
}

static void test_cancelled_sleeps_leave_the_others_in_order(void) {
    srand(54321);
    int order[N_CANCEL_SLEEPERS];
    for (int i = 0; i < N_CANCEL_SLEEPERS; i++) {
        sleep_ms[i] = 2u * (uint32_t)(rand() % 5000); /* even, many equal */
        cancelled_at_ms[i] = 0;
        order[i] = i;
    }
    for (int i = N_CANCEL_SLEEPERS - 1; i > 0; i--) { /* a shuffle: victims are its start */
        int j = rand() % (i + 1), o = order[i];
        order[i] = order[j];
        order[j] = o;
    }
    memcpy(victims, order, sizeof victims);
    ended_count = 0;
    CHECK_EQ(run_virtual(spawn_sleepers_and_canceller, NULL), 0);
    CHECK_EQ(ended_count, N_CANCEL_SLEEPERS);
    int cancelled = 0, on_time = 0, last = -1, ordered = 1;
    for (int k = 0; k < ended_count; k++) {
        int i = ended_seq[k];
        if (cancelled_at_ms[i]) {
            cancelled++;
            on_time += ended_rc[i] == -ECANCELED && ended_at[i] == cancelled_at_ms[i] * 1000ull;
            continue;
        }
        on_time += ended_rc[i] == 0 && ended_at[i] == sleep_ms[i] * 1000ull;
        if (last >= 0 &&
            (sleep_ms[last] > sleep_ms[i] || (sleep_ms[last] == sleep_ms[i] && last > i)))
            ordered = 0;
        last = i;
    }
    CHECK(cancelled > N_CANCELS / 2); /* most were still asleep when cancelled */
    CHECK_EQ(on_time, N_CANCEL_SLEEPERS);
    CHECK(ordered);
}

int main(void) {
    RUN(test_equal_deadlines_are_fifo);
    RUN(test_periods_interleave_exactly);
    RUN(test_durations_round_up_to_microseconds);
    RUN(test_sleep_outside_a_task_is_eperm);
    RUN(test_sleep_never_ends_early_in_real_time);
    RUN(test_ten_thousand_random_sleeps);
    RUN(test_cancelled_sleeps_leave_the_others_in_order);
    return check_summary();
}
