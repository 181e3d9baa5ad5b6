/* 100,000 tasks asleep at once: more stacks than the kernel allows guarded
 * mappings (vm.max_map_count is 65,530), so the later ones come without a
 * guard page and with a canary; all of them must work. */
#include <stdint.h>

#include "asyncio.h"
#include "check.h"

#define N_TASKS 100000

static unsigned woken;

static int sleeper(void *arg) {
    if (asyncio_sleep_ms((uint32_t)(uintptr_t)arg) == 0) woken++;
    return 0;
}

static int spawn_all(void *arg) {
    (void)arg;
    for (uint32_t i = 0; i < N_TASKS; i++) {
        asyncio_task_t *t = asyncio_create_task(sleeper, (void *)(uintptr_t)(1000 + i % 1000));
        if (!t) return -errno;
        asyncio_task_detach(t);
    }
    return asyncio_sleep(3.0); /* all asleep at once until 1-2 s */
}

static void test_hundred_thousand_sleeping_tasks(void) {
    woken = 0;
    CHECK_EQ(run_virtual(spawn_all, NULL), 0);
    CHECK_EQ(woken, N_TASKS);
}

int main(void) {
    RUN(test_hundred_thousand_sleeping_tasks);
    return check_summary();
}
