/*
 * Diagnostics: a small formatter and the default exception handler. They
 * format by hand and write through the port, so that firmware which never
 * prints pulls in no printf (and no division: a Cortex-M0+ has none). The
 * slow-step warning (watch.c) and the port's own reports (a stack overflow,
 * a fault) use the same formatter.
 */
#include <stdarg.h>
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

/* `used` and `noinline`: the RP2040 port also calls it from assembly. */
__attribute__((used, noinline)) void report_v(const char *fmt, va_list ap) {
    char line[160], digits[12];
    size_t len = 0;
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            if (len < sizeof line) line[len++] = *fmt;
            continue;
        }
        const char *s;
        char c = *++fmt;
        if (c == 's') {
            s = va_arg(ap, const char *);
        } else {
            unsigned v = va_arg(ap, unsigned);
            bool minus = c == 'd' && (int)v < 0;
            char *p = report_uint(digits + 11, minus ? 0u - v : v, c == 'x' ? 16u : 10u);
            if (minus) *--p = '-';
            s = p;
        }
        for (; *s; s++)
            if (len < sizeof line) line[len++] = *s;
    }
    port_console_write(line, len);
}

void report(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    report_v(fmt, ap);
    va_end(ap);
}

_Noreturn void assume_failed(const char *what, const char *file, unsigned line) {
    report("casyncio: %s:%u: assumption failed: %s\n", file, line, what);
    NEVER_HERE();
}

static void default_exception_handler(asyncio_loop_t *loop, asyncio_task_t *task, int error,
                                      void *ctx) {
    (void)loop;
    (void)ctx;
    char name[16];
    report("task '%s' failed: %s\n", report_task_name(task, name), port_strerror(-error));
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
