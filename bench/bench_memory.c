/* memory: RSS per sleeping task, 10,000 tasks (default task options). */
#include <stdlib.h>

#include "asyncio.h"
#include "common.h"

enum { TASKS = 10000 };

static int sleeper(void *arg) {
    (void)arg;
    return asyncio_sleep(3600.0);
}

static int bench(void *arg) {
    size_t before = bench_rss_bytes();
    asyncio_task_t **tasks = malloc(TASKS * sizeof *tasks);
    if (tasks == NULL) bench_fail("malloc", -ENOMEM);
    for (int i = 0; i < TASKS; i++)
        if ((tasks[i] = asyncio_create_task(sleeper, NULL)) == NULL)
            bench_fail("asyncio_create_task", -errno);
    int rc = asyncio_yield(); /* every task runs once, up to its sleep */
    if (rc < 0) bench_fail("asyncio_yield", rc);
    size_t after = bench_rss_bytes();
    int *results = malloc(TASKS * sizeof *results);
    if (results == NULL) bench_fail("malloc", -ENOMEM);
    for (int i = 0; i < TASKS; i++) asyncio_task_cancel(tasks[i]);
    rc = asyncio_gather(tasks, TASKS, results, ASYNCIO_RETURN_EXCEPTIONS);
    if (rc < 0) bench_fail("asyncio_gather", rc);
    for (int i = 0; i < TASKS; i++)
        if (results[i] != -ECANCELED) bench_fail("sleeper result", results[i]);
    free(results);
    free(tasks);
    *(double *)arg = ((double)after - (double)before) / TASKS;
    return 0;
}

int main(void) {
    double bytes_per_task = 0;
    int rc = asyncio_run(bench, &bytes_per_task);
    if (rc < 0) bench_fail("asyncio_run", rc);
    bench_emit("bytes_per_task", bytes_per_task, NULL);
    return 0;
}
