/*
 * A task that needs more stack than it was given: the port must stop the
 * firmware with a line naming the task and its stack size. The task runs on
 * a caller-provided stack with spare room below it, so the overflow lands in
 * memory this test owns and the report is the only thing that happens.
 */
#include <stdint.h>
#include <string.h>

#include "asyncio.h"

#define STACK_BYTES 256
#define SPARE_BYTES 512

static uint64_t stack_area[(SPARE_BYTES + STACK_BYTES) / sizeof(uint64_t)];

/* noinline: the big frame must be a frame of its own, below the task's. */
__attribute__((noinline)) static int use_stack(size_t bytes) {
    volatile uint8_t buffer[384];
    memset((void *)buffer, 0x5a, bytes < sizeof buffer ? bytes : sizeof buffer);
    return buffer[0];
}

static int deep(void *arg) {
    (void)arg;
    int r = use_stack(384);
    asyncio_yield(); /* the switch away checks the canary */
    return r;
}

static int main_task(void *arg) {
    (void)arg;
    asyncio_task_opts_t opts = {
        .name = "deep", .stack_size = STACK_BYTES, .stack = (char *)stack_area + SPARE_BYTES};
    return asyncio_await(asyncio_create_task_ex(deep, NULL, &opts));
}

int main(void) {
    asyncio_run(main_task, NULL);
    return 0; /* not reached: the overflow report halts the CPU */
}
