/* spawn: create and await 100,000 trivial tasks, in batches of 1,000 -> tasks/s. */
#include <stdint.h>

#include "asyncio.h"
#include "common.h"

enum { TOTAL = 100000, BATCH = 1000 };

static int trivial(void *arg) { return (int)(intptr_t)arg; }

static int bench(void *arg) {
    asyncio_task_t *tasks[BATCH];
    int results[BATCH];
    long long checksum = 0;
    uint64_t t0 = bench_now_ns();
    for (int b = 0; b < TOTAL / BATCH; b++) {
        for (int i = 0; i < BATCH; i++)
            if ((tasks[i] = asyncio_create_task(trivial, (void *)(intptr_t)(b * BATCH + i))) ==
                NULL)
                bench_fail("asyncio_create_task", -errno);
        int rc = asyncio_gather(tasks, BATCH, results, 0);
        if (rc < 0) bench_fail("asyncio_gather", rc);
        for (int i = 0; i < BATCH; i++) checksum += results[i];
    }
    uint64_t elapsed = bench_now_ns() - t0;
    if (checksum != (long long)TOTAL * (TOTAL - 1) / 2) bench_fail("checksum", 0);
    *(double *)arg = TOTAL * 1e9 / (double)elapsed;
    return 0;
}

int main(void) {
    double tasks_per_s = 0;
    int rc = asyncio_run(bench, &tasks_per_s);
    if (rc < 0) bench_fail("asyncio_run", rc);
    bench_emit("tasks_per_s", tasks_per_s, NULL);
    return 0;
}
