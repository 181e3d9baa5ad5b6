/* wake: the cost of a timer wake-up as the number of sleeping tasks grows.
 * For 10,000, 100,000 and 1,000,000 tasks in turn, on a loop with virtual
 * time: each task sleeps a random 1 us - 1 s once (fixed seed); once the last
 * one has started its sleep, the time until the last one wakes, divided by
 * the number of tasks, is the cost of one wake-up (the loop's
 * jump to the next deadline, taking the timer out of the heap, switching to
 * the task and letting it end). With a heap, it should grow like log n.
 * The time is the process's CPU time: in virtual time the loop never
 * blocks, so it is the elapsed time without the other processes' share. */
#include <stdint.h>
#include <stdlib.h>

#include "asyncio.h"
#include "common.h"

enum { SEED = 12345, MAX_SLEEP_US = 1000000 };

struct run {
    uint32_t tasks, started, woken;
    uint64_t all_asleep_ns, all_woken_ns;
    bench_rng_t rng;
};

static int sleeper(void *arg) {
    struct run *run = arg;
    uint64_t us = 1u + bench_rng_below(&run->rng, MAX_SLEEP_US);
    if (++run->started == run->tasks) run->all_asleep_ns = bench_cpu_ns();
    int rc = asyncio_sleep_us(us);
    if (rc < 0) return rc;
    if (++run->woken == run->tasks) run->all_woken_ns = bench_cpu_ns();
    return 0;
}

static int spawn_and_wait(void *arg) {
    struct run *run = arg;
    asyncio_task_t **tasks = malloc(run->tasks * sizeof *tasks);
    if (tasks == NULL) bench_fail("malloc", -ENOMEM);
    for (uint32_t i = 0; i < run->tasks; i++)
        if ((tasks[i] = asyncio_create_task(sleeper, run)) == NULL)
            bench_fail("asyncio_create_task", -errno);
    int rc = asyncio_gather(tasks, run->tasks, NULL, 0);
    free(tasks);
    return rc;
}

/* ns per wake-up with n sleeping tasks */
static double measure(uint32_t n) {
    asyncio_loop_opts_t opts = {.virtual_time = true};
    asyncio_loop_t *loop = asyncio_new_event_loop_ex(&opts);
    if (loop == NULL) bench_fail("asyncio_new_event_loop_ex", -errno);
    asyncio_loop_set_slow_task_threshold_ms(loop, 0); /* starting 1M tasks is one long step */
    struct run run = {.tasks = n};
    bench_rng_seed(&run.rng, SEED);
    asyncio_task_t *main_task = asyncio_loop_create_task(loop, spawn_and_wait, &run);
    if (main_task == NULL) bench_fail("asyncio_loop_create_task", -errno);
    int rc = asyncio_loop_run_until_complete(loop, main_task);
    if (rc < 0) bench_fail("asyncio_loop_run_until_complete", rc);
    if (run.woken != n) bench_fail("not every sleeper woke", -1);
    asyncio_loop_close(loop);
    return (double)(run.all_woken_ns - run.all_asleep_ns) / n;
}

int main(int argc, char **argv) {
    if (argc == 2) { /* one count only, for profiling: bench_wake 1000000 */
        bench_emit("wake_ns", measure((uint32_t)strtoul(argv[1], NULL, 10)), NULL);
        return 0;
    }
    double ns_10k = measure(10000), ns_100k = measure(100000), ns_1m = measure(1000000);
    bench_emit("wake_ns_10k", ns_10k, "wake_ns_100k", ns_100k, "wake_ns_1m", ns_1m,
               "wake_growth_1m_100k", ns_1m / ns_100k, NULL);
    return 0;
}
