/*
 * The stack limit on a Cortex-M33: a task that stays within its stack runs
 * to the end, one that needs more than it has is stopped at the push that
 * would cross its stack's bottom, with a line naming it, and the firmware
 * ends with status 1 (run.sh checks both).
 *
 * Built twice: the tasks' stacks in .bss, below the main stack, and (with
 * STACKS_FROM_HEAP) from the heap, above it; a limit left at the main
 * stack's bottom, or at another task's, fails one build or the other.
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "asyncio.h"

#define STACK_BYTES 256
#define SPARE_BYTES 512

#ifndef STACKS_FROM_HEAP
static uint64_t fits_stack[STACK_BYTES / sizeof(uint64_t)];
static uint64_t deep_area[(SPARE_BYTES + STACK_BYTES) / sizeof(uint64_t)];
#endif

/* noinline: the frame must be a frame of its own, below the task's. */
__attribute__((noinline)) static int use_stack(size_t bytes) {
    volatile uint8_t buffer[384];
    memset((void *)buffer, 0x5a, bytes < sizeof buffer ? bytes : sizeof buffer);
    return buffer[0];
}

/* About 130 bytes of the 248 usable. */
__attribute__((noinline)) static int use_some_stack(void) {
    volatile uint8_t buffer[96];
    memset((void *)buffer, 0x33, sizeof buffer);
    return buffer[95];
}

static int fits(void *arg) {
    (void)arg;
    int r = use_some_stack();
    asyncio_yield();
    write(1, "fits: ok\n", 9); /* printf needs more than these 256 bytes */
    return r;
}

static int deep(void *arg) {
    (void)arg;
    int r = use_stack(384);
    asyncio_yield();
    write(1, "deep: not stopped\n", 18);
    return r;
}

static int main_task(void *arg) {
    (void)arg;
    asyncio_task_opts_t fits_opts = {.name = "fits", .stack_size = STACK_BYTES};
    asyncio_task_opts_t deep_opts = {.name = "deep", .stack_size = STACK_BYTES};
#ifndef STACKS_FROM_HEAP
    fits_opts.stack = fits_stack;
    deep_opts.stack = (char *)deep_area + SPARE_BYTES;
#endif
    int r = asyncio_await(asyncio_create_task_ex(fits, NULL, &fits_opts));
    if (r < 0) return r;
    return asyncio_await(asyncio_create_task_ex(deep, NULL, &deep_opts));
}

int main(void) {
    asyncio_run(main_task, NULL);
    return 0; /* not reached: the overflow report ends the firmware */
}
