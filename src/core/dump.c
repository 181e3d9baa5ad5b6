/*
 * asyncio_dump_tasks: one line per task, for the moment a program seems stuck.
 * (In its own file so that firmware which never calls it links no printf.)
 */
#include "internal.h"

static const char *state_name(const asyncio_task_t *t) {
    switch (t->run.state) {
    case TASK_NEW:
        return "new";
    case TASK_READY:
        return "ready";
    case TASK_RUNNING:
        return "running";
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
        char wake[24] = "-", name[16];
        const struct asyncio_wait *w = t->run.state == TASK_WAITING ? t->wait : NULL;
        if (w && w->timer.slot != TIMER_NOT_QUEUED)
            snprintf(wake, sizeof wake, "%llu",
                     (unsigned long long)timer_deadline(&loop->timers, &w->timer));
        fprintf(out, "%-20s %-8s %14s %10zu %10zu%s\n", report_task_name(t, name), state_name(t),
                wake, t->stack ? port_stack_size(t->stack) : 0,
                t->stack ? port_stack_used(t->stack) : 0,
                t->run.flags & TASK_CANCEL_REQUESTED ? "  (cancelling)" : "");
    }
    fprintf(out, "now: %llu us, %s time\n", (unsigned long long)now,
            loop_virtual_time(loop) ? "virtual" : "real");
}
