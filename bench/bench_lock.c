/* lock: 100 tasks take turns on one lock, each holding it across a yield
 * -> ns per hand-off. */
#include "asyncio.h"
#include "common.h"

enum { TASKS = 100, ROUNDS = 1000 };

static asyncio_lock_t lock = ASYNCIO_LOCK_INIT;
static int holders;
static long acquired;

static int worker(void *arg) {
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        int rc = asyncio_lock_acquire(&lock);
        if (rc < 0) return rc;
        if (++holders != 1) return -EDEADLK;
        rc = asyncio_yield();
        holders--;
        acquired++;
        int rel = asyncio_lock_release(&lock);
        if (rc < 0) return rc;
        if (rel < 0) return rel;
    }
    return 0;
}

static int bench(void *arg) {
    asyncio_task_t *tasks[TASKS];
    for (int i = 0; i < TASKS; i++)
        if ((tasks[i] = asyncio_create_task(worker, NULL)) == NULL)
            bench_fail("asyncio_create_task", -errno);
    uint64_t t0 = bench_now_ns();
    int rc = asyncio_gather(tasks, TASKS, NULL, 0);
    uint64_t elapsed = bench_now_ns() - t0;
    if (rc < 0) bench_fail("asyncio_gather", rc);
    if (acquired != (long)TASKS * ROUNDS) bench_fail("hand-off count", 0);
    *(double *)arg = (double)elapsed / (double)acquired;
    return 0;
}

int main(void) {
    double ns_per_handoff = 0;
    int rc = asyncio_run(bench, &ns_per_handoff);
    if (rc < 0) bench_fail("asyncio_run", rc);
    bench_emit("ns_per_handoff", ns_per_handoff, NULL);
    return 0;
}
