/* The first program anyone writes: tasks that sleep and take turns. */
#include "asyncio.h"
#include "check.h"

static char trace[64];
static size_t trace_len;

static int worker(void *arg) {
    const char *letter = arg;
    for (int i = 0; i < 3; i++) {
        trace[trace_len++] = letter[0];
        if (asyncio_sleep_ms(10) < 0) return -1;
    }
    return letter[0];
}

static int main_task(void *arg) {
    (void)arg;
    asyncio_task_t *a = asyncio_create_task(worker, "a");
    asyncio_task_t *b = asyncio_create_task(worker, "b");
    int ra = asyncio_await(a);
    int rb = asyncio_await(b);
    return ra + rb;
}

static void test_two_tasks_interleave(void) {
    trace_len = 0;
    CHECK_EQ(asyncio_run(main_task, NULL), 'a' + 'b');
    trace[trace_len] = 0;
    CHECK_STR(trace, "ababab");
}

int main(void) {
    RUN(test_two_tasks_interleave);
    return check_summary();
}
