/*
 * call_soon_threadsafe and ThreadSafeFlag from outside the loop's context.
 *
 * rp2040js runs one core, so the emulator drives them from interrupt
 * handlers, which take the same paths (the port's spin locks with
 * interrupts masked, then SEV) that the other core's code takes:
 *   - a repeating timer's handler (pico_time's alarm pool) sets a flag and
 *     queues a call every millisecond; a task waits on the flag, the calls
 *     run in loop context, in order;
 *   - one handler queues more calls than the ring has slots: the last gets
 *     -EAGAIN and the loop goes on.
 *
 * Built with CASYNCIO_TWO_CORES=1, the same exchanges run between a loop on
 * each core (multicore_launch_core1): a ping-pong of ThreadSafeFlags and
 * calls queued by core 1 on core 0's loop. That build is for a real Pico.
 */
#include <errno.h>
#include <stdio.h>

#include "asyncio.h"
#include "hardware/sync.h"
#include "pico/platform.h"
#include "pico/time.h"

#define ROUNDS 20

static asyncio_flag_t ping = ASYNCIO_FLAG_INIT;
static asyncio_loop_t *core0_loop;
static volatile unsigned calls_queued, calls_run, calls_out_of_order, calls_on_wrong_core;
static volatile int overflow_result;

static void counted_call(void *arg) {
    unsigned n = (unsigned)(uintptr_t)arg;
    if (n != calls_run) calls_out_of_order++;
    if (get_core_num() != 0 || asyncio_current_task()) calls_on_wrong_core++;
    calls_run++;
}

/* Whoever is on the other side (an interrupt, or core 1): ROUNDS times,
 * queue a call on core 0's loop and set `ping`. */
static void other_side_step(void) {
    unsigned n = calls_queued++;
    if (asyncio_loop_call_soon_threadsafe(core0_loop, counted_call, (void *)(uintptr_t)n) != 0) {
        calls_queued--;
    }
    asyncio_flag_set(&ping);
}

static int report(unsigned pings) {
    printf("pings %u, calls queued %u run %u, out of order %u, wrong context %u\n", pings,
           calls_queued, calls_run, calls_out_of_order, calls_on_wrong_core);
    return pings == ROUNDS && calls_run == ROUNDS && !calls_out_of_order && !calls_on_wrong_core
               ? 0
               : 1;
}

#if CASYNCIO_TWO_CORES
#include "pico/multicore.h"

static asyncio_flag_t pong = ASYNCIO_FLAG_INIT;

/* Core 1's loop: for each pong from core 0, one step. */
static int core1_main_task(void *arg) {
    (void)arg;
    for (unsigned i = 0; i < ROUNDS; i++) {
        if (asyncio_flag_wait(&pong) < 0) return 1;
        other_side_step();
    }
    return 0;
}

static void core1_entry(void) { asyncio_run(core1_main_task, NULL); }

static int main_task(void *arg) {
    (void)arg;
    core0_loop = asyncio_get_event_loop();
    multicore_launch_core1(core1_entry);
    unsigned pings = 0;
    for (unsigned i = 0; i < ROUNDS; i++) {
        asyncio_flag_set(&pong);
        if (asyncio_flag_wait(&ping) < 0) return 1;
        pings++;
    }
    asyncio_sleep_ms(10); /* the last call runs */
    printf("two cores: ");
    return report(pings);
}
#else
static bool timer_step(repeating_timer_t *rt) {
    (void)rt;
    other_side_step();
    return calls_queued < ROUNDS;
}

/* One interrupt queues ASYNCIO_THREADSAFE_SLOTS + 1 calls. */
static int64_t flood(alarm_id_t id, void *arg) {
    (void)id;
    (void)arg;
    for (unsigned i = 0; i < ASYNCIO_THREADSAFE_SLOTS + 1; i++) {
        overflow_result = asyncio_loop_call_soon_threadsafe(core0_loop, counted_call,
                                                            (void *)(uintptr_t)calls_queued);
        if (overflow_result == 0) calls_queued++;
    }
    return 0;
}

static int main_task(void *arg) {
    (void)arg;
    core0_loop = asyncio_get_event_loop();
    repeating_timer_t timer;
    add_repeating_timer_us(-1000, timer_step, NULL, &timer);
    unsigned pings = 0;
    while (pings < ROUNDS) {
        asyncio_timeout_t scope;
        asyncio_timeout_enter_ms(&scope, 50);
        int err = asyncio_flag_wait(&ping);
        asyncio_timeout_exit(&scope);
        if (err < 0) break; /* no set for 50 ms: the count says how many came */
        pings++;
    }
    asyncio_sleep_ms(5);
    int result = report(pings);
    /* the ring: 8 slots on the board */
    calls_queued = calls_run = 0;
    add_alarm_in_us(100, flood, NULL, true);
    asyncio_sleep_ms(5);
    printf("flood: %u of %u calls run, the last %s\n", calls_run, ASYNCIO_THREADSAFE_SLOTS + 1,
           overflow_result == -EAGAIN ? "refused with -EAGAIN" : "NOT refused");
    if (calls_run != ASYNCIO_THREADSAFE_SLOTS || overflow_result != -EAGAIN) result = 1;
    return result;
}
#endif

int main(void) {
    printf("cross-core primitives on core %u\n", get_core_num());
    return asyncio_run(main_task, NULL);
}
