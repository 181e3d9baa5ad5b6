/*
 * asyncio_dump_tasks: one line per task, for the moment a program seems stuck.
 * (In its own file so that firmware which never calls it links no printf.)
 *
 * It uses only the conversions every C library's printf has, newlib-nano's
 * (the RP2040's) included: %s, %lu and field widths; no %zu, %llu or %f.
 * 64-bit times are turned into digits here.
 */
#include "internal.h"

/* v in decimal, ending at end (which receives the '\0'); returns the first digit. */
static char *decimal_u64(char *end, uint64_t v) {
    char *p = end;
    *p = '\0';
    do {
        *--p = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v);
    return p;
}

static const char *state_name(const asyncio_loop_t *loop, const asyncio_task_t *t) {
    if (t == loop->current) return "running"; /* its state stays READY */
    switch (t->run.state) {
    case TASK_NEW:
        return "new";
    case TASK_READY:
        return "ready";
    case TASK_WAITING:
        return "waiting";
    default:
        return "done";
    }
}

void asyncio_dump_tasks(FILE *out) {
    asyncio_loop_t *loop = loop_default();
    if (!out || !loop) return;
    uint64_t now = loop_now(loop);
    fprintf(out, "%-20s %-8s %14s %10s %10s\n", "task", "state", "wakes at (us)", "stack", "used");
    for (const asyncio_task_t *t = loop->all_first; t; t = t->all_next) {
        char digits[21], name[16];
        const char *wake = "-";
        const struct asyncio_wait *w = t->run.state == TASK_WAITING ? t->wait : NULL;
        if (w && w->timer.slot != TIMER_NOT_QUEUED)
            wake = decimal_u64(digits + 20, timer_deadline(&loop->timers, &w->timer));
        fprintf(out, "%-20s %-8s %14s %10lu %10lu%s\n", report_task_name(t, name), state_name(loop, t),
                wake, (unsigned long)(t->stack ? port_stack_size(t->stack) : 0),
                (unsigned long)(t->stack ? port_stack_used(t->stack) : 0),
                t->run.flags & TASK_CANCEL_REQUESTED ? "  (cancelling)" : "");
    }
    char digits[21];
    fprintf(out, "now: %s us, %s time\n", decimal_u64(digits + 20, now),
            loop_virtual_time(loop) ? "virtual" : "real");
}
