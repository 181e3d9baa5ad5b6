/* spawn: create and await 100,000 trivial tasks -> tasks/s, three ways:
 *   warm:   in batches of 1,000 (later batches reuse the first ones' stacks);
 *   cold:   all 100,000 created, then gathered, in a fresh process (every
 *           task on a stack never used before);
 *   shared: as cold, the tasks on the loop's shared stack
 *           (asyncio_task_opts_t.shared_stack).
 * Each way runs in a process of its own (this program run again with its
 * name), so that none inherits another's stacks. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asyncio.h"
#include "common.h"

enum { TOTAL = 100000, BATCH = 1000 };

struct config {
    int batch;
    bool shared;
    double tasks_per_s;
};

static int trivial(void *arg) { return (int)(intptr_t)arg; }

static int bench(void *arg) {
    struct config *c = arg;
    asyncio_task_opts_t opts = {.shared_stack = c->shared};
    asyncio_task_t **tasks = malloc((size_t)c->batch * sizeof *tasks);
    int *results = malloc((size_t)c->batch * sizeof *results);
    if (!tasks || !results) bench_fail("malloc", -ENOMEM);
    long long checksum = 0;
    uint64_t t0 = bench_now_ns();
    for (int b = 0; b < TOTAL / c->batch; b++) {
        for (int i = 0; i < c->batch; i++)
            if ((tasks[i] = asyncio_create_task_ex(trivial, (void *)(intptr_t)(b * c->batch + i),
                                                   &opts)) == NULL)
                bench_fail("asyncio_create_task_ex", -errno);
        int rc = asyncio_gather(tasks, (size_t)c->batch, results, 0);
        if (rc < 0) bench_fail("asyncio_gather", rc);
        for (int i = 0; i < c->batch; i++) checksum += results[i];
    }
    uint64_t elapsed = bench_now_ns() - t0;
    if (checksum != (long long)TOTAL * (TOTAL - 1) / 2) bench_fail("checksum", 0);
    free(tasks);
    free(results);
    c->tasks_per_s = TOTAL * 1e9 / (double)elapsed;
    return 0;
}

static double measure(const char *self, const char *way) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "'%s' %s", self, way);
    FILE *p = popen(cmd, "r");
    double per_s = -1;
    if (!p || fscanf(p, "%lf", &per_s) != 1) bench_fail(cmd, -EIO);
    if (pclose(p) != 0) bench_fail(cmd, -EIO);
    return per_s;
}

int main(int argc, char **argv) {
    if (argc == 2) {
        struct config c = {.batch = strcmp(argv[1], "warm") == 0 ? BATCH : TOTAL,
                           .shared = strcmp(argv[1], "shared") == 0};
        int rc = asyncio_run(bench, &c);
        if (rc < 0) bench_fail("asyncio_run", rc);
        printf("%.0f\n", c.tasks_per_s);
        return 0;
    }
    bench_emit("tasks_per_s", measure(argv[0], "warm"), "cold_tasks_per_s",
               measure(argv[0], "cold"), "shared_cold_tasks_per_s", measure(argv[0], "shared"),
               NULL);
    return 0;
}
