/* memory: RSS per sleeping task, 10,000 and 100,000 tasks, with private
 * stacks (default task options) and on the loop's shared stack
 * (asyncio_task_opts_t.shared_stack). Each figure comes from a process of
 * its own (this program run again with the kind and the count), so that
 * one run's memory does not lower the next one's. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asyncio.h"
#include "common.h"

struct config {
    bool shared;
    int tasks;
};

static int sleeper(void *arg) {
    (void)arg;
    return asyncio_sleep(3600.0);
}

static int bench(void *arg) {
    struct config *c = arg;
    asyncio_task_opts_t opts = {.shared_stack = c->shared};
    size_t before = bench_rss_bytes();
    asyncio_task_t **tasks = malloc((size_t)c->tasks * sizeof *tasks);
    if (tasks == NULL) bench_fail("malloc", -ENOMEM);
    for (int i = 0; i < c->tasks; i++)
        if ((tasks[i] = asyncio_create_task_ex(sleeper, NULL, &opts)) == NULL)
            bench_fail("asyncio_create_task_ex", -errno);
    int rc = asyncio_yield(); /* every task runs once, up to its sleep */
    if (rc < 0) bench_fail("asyncio_yield", rc);
    size_t after = bench_rss_bytes();
    int *results = malloc((size_t)c->tasks * sizeof *results);
    if (results == NULL) bench_fail("malloc", -ENOMEM);
    for (int i = 0; i < c->tasks; i++) asyncio_task_cancel(tasks[i]);
    rc = asyncio_gather(tasks, (size_t)c->tasks, results, ASYNCIO_RETURN_EXCEPTIONS);
    if (rc < 0) bench_fail("asyncio_gather", rc);
    for (int i = 0; i < c->tasks; i++)
        if (results[i] != -ECANCELED) bench_fail("sleeper result", results[i]);
    free(results);
    free(tasks);
    printf("%.1f\n", ((double)after - (double)before) / c->tasks);
    return 0;
}

/* Runs this program again for one configuration and reads its figure. */
static double measure(const char *self, const char *kind, int tasks) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "'%s' %s %d", self, kind, tasks);
    FILE *p = popen(cmd, "r");
    double bytes = -1;
    if (!p || fscanf(p, "%lf", &bytes) != 1) bench_fail(cmd, -EIO);
    if (pclose(p) != 0) bench_fail(cmd, -EIO);
    return bytes;
}

int main(int argc, char **argv) {
    if (argc == 3) {
        struct config c = {.shared = strcmp(argv[1], "shared") == 0, .tasks = atoi(argv[2])};
        int rc = asyncio_run(bench, &c);
        if (rc < 0) bench_fail("asyncio_run", rc);
        return 0;
    }
    bench_emit("bytes_per_task", measure(argv[0], "private", 10000), "bytes_per_task_100k",
               measure(argv[0], "private", 100000), "shared_bytes_per_task",
               measure(argv[0], "shared", 10000), "shared_bytes_per_task_100k",
               measure(argv[0], "shared", 100000), NULL);
    return 0;
}
