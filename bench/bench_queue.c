/* queue: one producer, one consumer, a queue of capacity 64 -> items/s. */
#include "asyncio.h"
#include "common.h"

enum { ITEMS = 500000, CAPACITY = 64 };

static int storage[CAPACITY];
static asyncio_queue_t queue = ASYNCIO_QUEUE_INIT(storage, sizeof(int), CAPACITY);
static long long total;

static int producer(void *arg) {
    (void)arg;
    for (int i = 0; i < ITEMS; i++) {
        int rc = asyncio_queue_put(&queue, &i);
        if (rc < 0) return rc;
    }
    return 0;
}

static int consumer(void *arg) {
    (void)arg;
    for (int i = 0; i < ITEMS; i++) {
        int item;
        int rc = asyncio_queue_get(&queue, &item);
        if (rc < 0) return rc;
        total += item;
    }
    return 0;
}

static int bench(void *arg) {
    uint64_t t0 = bench_now_ns();
    asyncio_task_t *tasks[2] = {asyncio_create_task(producer, NULL),
                                asyncio_create_task(consumer, NULL)};
    if (tasks[0] == NULL || tasks[1] == NULL) bench_fail("asyncio_create_task", -errno);
    int rc = asyncio_gather(tasks, 2, NULL, 0);
    uint64_t elapsed = bench_now_ns() - t0;
    if (rc < 0) bench_fail("asyncio_gather", rc);
    if (total != (long long)ITEMS * (ITEMS - 1) / 2) bench_fail("checksum", 0);
    *(double *)arg = ITEMS * 1e9 / (double)elapsed;
    return 0;
}

int main(void) {
    double items_per_s = 0;
    int rc = asyncio_run(bench, &items_per_s);
    if (rc < 0) bench_fail("asyncio_run", rc);
    bench_emit("items_per_s", items_per_s, NULL);
    return 0;
}
