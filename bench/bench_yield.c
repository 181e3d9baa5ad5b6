/* yield: 1,000 tasks, each calling asyncio_yield() 1,000 times -> ns per switch. */
#include "asyncio.h"
#include "common.h"

enum { TASKS = 1000, YIELDS = 1000 };

static long counts[TASKS];

static int worker(void *arg) {
    long *count = arg;
    for (int i = 0; i < YIELDS; i++) {
        int rc = asyncio_yield();
        if (rc < 0) return rc;
        (*count)++;
    }
    return 0;
}

static int bench(void *arg) {
    asyncio_task_t *tasks[TASKS];
    for (int i = 0; i < TASKS; i++)
        if ((tasks[i] = asyncio_create_task(worker, &counts[i])) == NULL)
            bench_fail("asyncio_create_task", -errno);
    uint64_t t0 = bench_now_ns();
    int rc = asyncio_gather(tasks, TASKS, NULL, 0);
    uint64_t elapsed = bench_now_ns() - t0;
    if (rc < 0) bench_fail("asyncio_gather", rc);
    long switches = 0;
    for (int i = 0; i < TASKS; i++) switches += counts[i];
    if (switches != (long)TASKS * YIELDS) bench_fail("switch count", 0);
    *(double *)arg = (double)elapsed / (double)switches;
    return 0;
}

int main(void) {
    double ns_per_switch = 0;
    int rc = asyncio_run(bench, &ns_per_switch);
    if (rc < 0) bench_fail("asyncio_run", rc);
    bench_emit("ns_per_switch", ns_per_switch, NULL);
    return 0;
}
