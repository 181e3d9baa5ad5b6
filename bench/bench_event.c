/* event: ping-pong between two tasks over two events -> ns per round trip. */
#include "asyncio.h"
#include "common.h"

enum { ROUNDS = 100000 };

static asyncio_event_t ping = ASYNCIO_EVENT_INIT, pong = ASYNCIO_EVENT_INIT;
static long count;

static int pinger(void *arg) {
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        asyncio_event_set(&ping);
        int rc = asyncio_event_wait(&pong);
        if (rc < 0) return rc;
        asyncio_event_clear(&pong);
    }
    return 0;
}

static int ponger(void *arg) {
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        int rc = asyncio_event_wait(&ping);
        if (rc < 0) return rc;
        asyncio_event_clear(&ping);
        count++;
        asyncio_event_set(&pong);
    }
    return 0;
}

static int bench(void *arg) {
    uint64_t t0 = bench_now_ns();
    asyncio_task_t *tasks[2] = {asyncio_create_task(pinger, NULL),
                                asyncio_create_task(ponger, NULL)};
    if (tasks[0] == NULL || tasks[1] == NULL) bench_fail("asyncio_create_task", -errno);
    int rc = asyncio_gather(tasks, 2, NULL, 0);
    uint64_t elapsed = bench_now_ns() - t0;
    if (rc < 0) bench_fail("asyncio_gather", rc);
    if (count != ROUNDS) bench_fail("round trip count", 0);
    *(double *)arg = (double)elapsed / ROUNDS;
    return 0;
}

int main(void) {
    double ns_per_round_trip = 0;
    int rc = asyncio_run(bench, &ns_per_round_trip);
    if (rc < 0) bench_fail("asyncio_run", rc);
    bench_emit("ns_per_round_trip", ns_per_round_trip, NULL);
    return 0;
}
