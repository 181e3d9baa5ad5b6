/* Running out of memory: a task's wait never fails for memory, because what
 * the wait needs (its slot in the loop's timer heap) is set aside when the
 * task is created; creation is where ENOMEM shows, cleanly.
 *
 * Linked with -Wl,--wrap=malloc: the library's calls to malloc come here,
 * where a switch makes them fail. */
#include <stdbool.h>
#include <stdint.h>

#include "asyncio.h"
#include "check.h"

void *__real_malloc(size_t size);
void *__wrap_malloc(size_t size);

static bool malloc_fails;
void *__wrap_malloc(size_t size) { return malloc_fails ? NULL : __real_malloc(size); }

#define CHILDREN 100

static int sleeps_once(void *arg) {
    int *result = arg;
    *result = asyncio_sleep_ms(10);
    return 0;
}

static int sleeps_while_memory_is_out(void *arg) {
    int *results = arg;
    asyncio_task_t *children[CHILDREN];
    for (int i = 0; i < CHILDREN; i++) {
        results[i] = 1;
        children[i] = asyncio_create_task(sleeps_once, &results[i]);
        if (!children[i]) return -ENOMEM;
    }
    malloc_fails = true;
    int slept = asyncio_sleep_ms(1); /* meanwhile every child starts its sleep */
    malloc_fails = false;
    int gathered = asyncio_gather(children, CHILDREN, NULL, 0);
    return slept ? slept : gathered;
}

static void test_sleeps_need_no_memory(void) {
    int results[CHILDREN];
    CHECK_EQ(run_virtual(sleeps_while_memory_is_out, results), 0);
    int failed_sleeps = 0;
    for (int i = 0; i < CHILDREN; i++) failed_sleeps += results[i] != 0;
    CHECK_EQ(failed_sleeps, 0);
}

/* With caller storage and stacks, creating a task needs memory only for its
 * timer slot: when that cannot be had, creation fails with ENOMEM and
 * changes nothing; the tasks created before it sleep as usual. */
#define MANY 256
static unsigned char stacks[MANY][16 * 1024] __attribute__((aligned(16)));
static void *records[MANY][ASYNCIO_TASK_STORAGE_SIZE / sizeof(void *)];

static int creates_until_out_of_memory(void *arg) {
    int *results = arg;
    asyncio_task_t *created[MANY];
    int n = 0;
    malloc_fails = true;
    for (; n < MANY; n++) {
        asyncio_task_opts_t opts = {
            .stack = stacks[n], .stack_size = sizeof stacks[n], .storage = records[n]};
        results[n] = 1;
        errno = 0;
        created[n] = asyncio_create_task_ex(sleeps_once, &results[n], &opts);
        if (!created[n]) break;
    }
    int err = errno;
    int sleep_result = asyncio_sleep_ms(20); /* the caller's own wait still works */
    malloc_fails = false;
    CHECK(n < MANY); /* the heap had to grow at some point */
    CHECK_EQ(err, ENOMEM);
    CHECK_EQ(sleep_result, 0);
    int failed_sleeps = 0;
    for (int i = 0; i < n; i++) failed_sleeps += results[i] != 0;
    CHECK_EQ(failed_sleeps, 0);
    return asyncio_gather(created, (size_t)n, NULL, 0);
}

static void test_creation_fails_cleanly_when_the_timer_heap_cannot_grow(void) {
    static int results[MANY];
    CHECK_EQ(run_virtual(creates_until_out_of_memory, results), 0);
}

int main(void) {
    RUN(test_sleeps_need_no_memory);
    RUN(test_creation_fails_cleanly_when_the_timer_heap_cannot_grow);
    return check_summary();
}
