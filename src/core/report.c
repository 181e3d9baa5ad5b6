/*
 * Diagnostics: the default exception handler and the slow-step warning. They
 * format by hand and write through the port, so that firmware which never
 * prints pulls in no printf.
 */
#include <string.h>

#include "internal.h"

const char *report_u32(char buf[11], uint32_t v) {
    char *p = buf + 10;
    *p = '\0';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return p;
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
    const char *parts[] = {"task '", asyncio_task_name(task), "' failed: ", port_strerror(-error),
                           "\n"};
    report_line(parts, sizeof parts / sizeof parts[0]);
}

void asyncio_loop_set_exception_handler(asyncio_loop_t *loop, asyncio_exception_handler_fn h,
                                        void *ctx) {
    if (!loop) return;
    loop->on_exception = h;
    loop->on_exception_ctx = ctx;
}

void loop_report_failure(asyncio_loop_t *loop, asyncio_task_t *t) {
    if (t->state != TASK_DONE || t->result >= 0 || t->result == -ECANCELED) return;
    if (loop->on_exception)
        loop->on_exception(loop, t, t->result, loop->on_exception_ctx);
    else
        default_exception_handler(loop, t, t->result, NULL);
}

void asyncio_loop_set_slow_task_threshold_ms(asyncio_loop_t *loop, uint32_t ms) {
    if (loop) loop->slow_task_us = ms > 4000000u ? 4000000000u : ms * 1000u;
}
