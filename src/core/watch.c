/*
 * The slow-step warning: the loop counts steps (every switch between tasks
 * and the loop, watch_step_end), the port watches the count (port_watch) and
 * marks a step that runs for the threshold, and the step is reported when it
 * ends. A loop is watched once its threshold is set, at creation from the
 * port's default (PORT_SLOW_TASK_MS: 100 ms on POSIX, none on the RP2040);
 * the loop reaches this file through two hooks then set, so firmware whose
 * loops are never watched links none of it.
 */
#include <string.h>

#include "internal.h"

/* Milliseconds, from microseconds: the decimal digits less the last three. */
static const char *report_ms(char buf[11], uint32_t us) {
    char *digits = report_uint(buf + 10, us, 10);
    if (buf + 10 - digits <= 3) return "0";
    buf[10 - 3] = '\0';
    return digits;
}

/* The port has seen step `slow` run for the threshold; `step`, the one that
 * just ended, is it if nothing moved on since. */
static void watch_report_slow(asyncio_loop_t *loop, asyncio_task_t *t, uint32_t step) {
    uint32_t slow = atomic_load_explicit(&loop->watch.slow_step, memory_order_relaxed);
    uint32_t since = atomic_load_explicit(&loop->watch.slow_since_us, memory_order_relaxed);
    atomic_store_explicit(&loop->watch.slow_step, 0, memory_order_relaxed);
    if (slow != step || !t) return; /* the loop's own work, or a step already gone */
    char name[16], digits[11];
    report("casyncio: task '%s' ran %s ms without yielding\n", report_task_name(t, name),
           report_ms(digits, (uint32_t)port_now_us() - since));
}

/* The loop starts or stops running: the port watches it meanwhile. */
static void watch_running(asyncio_loop_t *loop, bool running) {
    bool on = running && atomic_load_explicit(&loop->watch.threshold_us, memory_order_relaxed);
    port_watch(loop->port, on ? &loop->watch : NULL);
}

void watch_set_threshold(asyncio_loop_t *loop, uint32_t threshold_us) {
    atomic_store_explicit(&loop->watch.threshold_us, threshold_us, memory_order_relaxed);
    loop->watch_report = watch_report_slow;
    loop->watch_running = watch_running;
    if (loop_running() == loop) watch_running(loop, true);
}

void asyncio_loop_set_slow_task_threshold_ms(asyncio_loop_t *loop, uint32_t ms) {
    if (!loop || loop->closed) return;
    watch_set_threshold(loop, ms > 4000000u ? 4000000000u : ms * 1000u);
}
