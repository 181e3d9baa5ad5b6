/*
 * Diagnostics: the default exception handler and the slow-step warning. They
 * format by hand and write through the port, so that firmware which never
 * prints pulls in no printf (and no division: a Cortex-M0+ has none). The
 * port's own reports (a stack overflow, a fault) use the same formatter.
 */
#include <string.h>

#include "internal.h"

char *report_uint(char *end, uint32_t v, unsigned base) {
    char *p = end;
    *p = '\0';
    do {
        uint32_t rest = 0;
        for (int bit = 0; bit < 32; bit++) { /* v / base into v, v % base into rest */
            rest = (rest << 1) | (v >> 31);
            v <<= 1;
            if (rest >= base) {
                rest -= base;
                v |= 1u;
            }
        }
        *--p = (char)(rest < 10u ? '0' + rest : 'a' - 10u + rest);
    } while (v);
    return p;
}

const char *report_task_name(const asyncio_task_t *t, char buf[16]) {
    if (t->name) return t->name;
    char *name = report_uint(buf + 15, t->id, 10) - 5;
    memcpy(name, "task-", 5);
    return name;
}

void report_line(const char *const parts[], size_t n) {
    char line[160];
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        for (const char *c = parts[i]; c && *c && len < sizeof line; c++) line[len++] = *c;
    port_console_write(line, len);
}

static void default_exception_handler(asyncio_loop_t *loop, asyncio_task_t *task, int error,
                                      void *ctx) {
    (void)loop;
    (void)ctx;
    char name[16];
    const char *parts[] = {"task '", report_task_name(task, name),
                           "' failed: ", port_strerror(-error), "\n"};
    report_line(parts, sizeof parts / sizeof parts[0]);
}

void asyncio_loop_set_exception_handler(asyncio_loop_t *loop, asyncio_exception_handler_fn h,
                                        void *ctx) {
    if (!loop) return;
    loop->on_exception = h;
    loop->on_exception_ctx = ctx;
}

void loop_report_failure(asyncio_loop_t *loop, asyncio_task_t *t) {
    if (t->run.state != TASK_DONE || t->result >= 0 || t->result == -ECANCELED) return;
    if (loop->on_exception)
        loop->on_exception(loop, t, t->result, loop->on_exception_ctx);
    else
        default_exception_handler(loop, t, t->result, NULL);
}

/* ---- the slow-step warning -------------------------------------------------------- */

void asyncio_loop_set_slow_task_threshold_ms(asyncio_loop_t *loop, uint32_t ms) {
    if (!loop || loop->closed) return;
    loop->watch.threshold_us = ms > 4000000u ? 4000000000u : ms * 1000u;
    if (loop_running_now == loop) port_watch(loop->port, ms ? &loop->watch : NULL);
}

/* Milliseconds, from microseconds: the decimal digits less the last three. */
static const char *report_ms(char buf[11], uint32_t us) {
    char *digits = report_uint(buf + 10, us, 10);
    if (buf + 10 - digits <= 3) return "0";
    buf[10 - 3] = '\0';
    return digits;
}

/* The port has seen step `slow` run for the threshold; `step`, the one that
 * just ended, is it if nothing moved on since. */
void watch_report_slow(asyncio_loop_t *loop, asyncio_task_t *t, uint32_t step) {
    uint32_t slow = atomic_load_explicit(&loop->watch.slow_step, memory_order_relaxed);
    uint32_t since = atomic_load_explicit(&loop->watch.slow_since_us, memory_order_relaxed);
    atomic_store_explicit(&loop->watch.slow_step, 0, memory_order_relaxed);
    if (slow != step || !t) return; /* the loop's own work, or a step already gone */
    char name[16], digits[11];
    const char *parts[] = {"casyncio: task '", report_task_name(t, name), "' ran ",
                           report_ms(digits, (uint32_t)port_now_us() - since),
                           " ms without yielding\n"};
    report_line(parts, sizeof parts / sizeof parts[0]);
}
