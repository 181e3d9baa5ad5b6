/* timers: 100,000 tasks, each sleeping a random 0-1000 ms once, in real time
 * -> total time and worst lateness. Each task measures its own lateness
 * (wake time - deadline) with the loop clock. */
#include <stdint.h>
#include <stdlib.h>

#include "asyncio.h"
#include "common.h"

enum { TASKS = 100000, SEED = 12345 };

static asyncio_loop_t *loop;
static int64_t worst_late_us;
static long early_wakes;

static int sleeper(void *arg) {
    uint32_t ms = (uint32_t)(uintptr_t)arg;
    uint64_t deadline = asyncio_loop_time_us(loop) + (uint64_t)ms * 1000u;
    int rc = asyncio_sleep_ms(ms);
    if (rc < 0) return rc;
    int64_t late = (int64_t)(asyncio_loop_time_us(loop) - deadline);
    if (late < 0) early_wakes++;
    if (late > worst_late_us) worst_late_us = late;
    return 0;
}

static int bench(void *arg) {
    bench_rng_t rng;
    bench_rng_seed(&rng, SEED);
    loop = asyncio_get_event_loop();
    asyncio_task_t **tasks = malloc(TASKS * sizeof *tasks);
    if (tasks == NULL) bench_fail("malloc", -ENOMEM);
    uint64_t t0 = bench_now_ns();
    for (int i = 0; i < TASKS; i++) {
        uintptr_t ms = bench_rng_below(&rng, 1001);
        if ((tasks[i] = asyncio_create_task(sleeper, (void *)ms)) == NULL)
            bench_fail("asyncio_create_task", -errno);
    }
    int rc = asyncio_gather(tasks, TASKS, NULL, 0);
    uint64_t elapsed = bench_now_ns() - t0;
    if (rc < 0) bench_fail("asyncio_gather", rc);
    free(tasks);
    *(double *)arg = (double)elapsed / 1e9;
    return 0;
}

int main(void) {
    double total_s = 0;
    int rc = asyncio_run(bench, &total_s);
    if (rc < 0) bench_fail("asyncio_run", rc);
    bench_emit("total_s", total_s, "worst_late_us", (double)worst_late_us, "early_wakes",
               (double)early_wakes, NULL);
    return 0;
}
