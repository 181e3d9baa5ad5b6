/* timers: 100,000 tasks (or as many as the argument says), each sleeping a
 * random 0-1000 ms once, in real time
 * -> total time and worst lateness. Each task measures its own lateness
 * (wake time - deadline) with the loop clock. Also reported: how long the
 * loop took to start every task (the first pass), the worst lateness of the
 * sleeps of 1 ms or more (a sleep of 0 is a yield, which waits for the rest
 * of the pass by the FIFO rule), and the worst lateness of the sleeps whose
 * deadline falls after the first pass, when the loop only has timers to
 * serve. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "asyncio.h"
#include "common.h"

enum { DEFAULT_TASKS = 100000, SEED = 12345 };

struct sleep_slot {
    uint32_t ms;
    uint64_t started, deadline;
    int64_t late;
};

static asyncio_loop_t *loop;
static struct sleep_slot *slots;
static int tasks_n = DEFAULT_TASKS;

static int sleeper(void *arg) {
    struct sleep_slot *s = arg;
    s->started = asyncio_loop_time_us(loop);
    s->deadline = s->started + (uint64_t)s->ms * 1000u;
    int rc = asyncio_sleep_ms(s->ms);
    if (rc < 0) return rc;
    s->late = (int64_t)(asyncio_loop_time_us(loop) - s->deadline);
    return 0;
}

static int bench(void *arg) {
    bench_rng_t rng;
    bench_rng_seed(&rng, SEED);
    loop = asyncio_get_event_loop();
    asyncio_task_t **tasks = malloc((size_t)tasks_n * sizeof *tasks);
    if (tasks == NULL) bench_fail("malloc", -ENOMEM);
    uint64_t t0 = bench_now_ns();
    for (int i = 0; i < tasks_n; i++) {
        slots[i].ms = bench_rng_below(&rng, 1001);
        if ((tasks[i] = asyncio_create_task(sleeper, &slots[i])) == NULL)
            bench_fail("asyncio_create_task", -errno);
    }
    int rc = asyncio_gather(tasks, (size_t)tasks_n, NULL, 0);
    uint64_t elapsed = bench_now_ns() - t0;
    if (rc < 0) bench_fail("asyncio_gather", rc);
    free(tasks);
    *(double *)arg = (double)elapsed / 1e9;
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && (tasks_n = atoi(argv[1])) <= 0) {
        fprintf(stderr, "usage: %s [tasks]\n", argv[0]);
        return 2;
    }
    slots = calloc((size_t)tasks_n, sizeof *slots);
    if (slots == NULL) bench_fail("calloc", -ENOMEM);
    double total_s = 0;
    int rc = asyncio_run(bench, &total_s);
    if (rc < 0) bench_fail("asyncio_run", rc);
    uint64_t first_start = UINT64_MAX, last_start = 0;
    for (int i = 0; i < tasks_n; i++) {
        if (slots[i].started < first_start) first_start = slots[i].started;
        if (slots[i].started > last_start) last_start = slots[i].started;
    }
    int64_t worst = 0, worst_timed = 0, worst_after_start = 0;
    long early = 0;
    for (int i = 0; i < tasks_n; i++) {
        if (slots[i].late < 0) early++;
        if (slots[i].late > worst) worst = slots[i].late;
        if (slots[i].ms > 0 && slots[i].late > worst_timed) worst_timed = slots[i].late;
        if (slots[i].deadline > last_start && slots[i].late > worst_after_start)
            worst_after_start = slots[i].late;
    }
    bench_emit("total_s", total_s, "worst_late_us", (double)worst, "worst_late_timed_us",
               (double)worst_timed, "start_pass_us",
               (double)(last_start - first_start), "worst_late_after_start_us",
               (double)worst_after_start, "early_wakes", (double)early, NULL);
    free(slots);
    return 0;
}
