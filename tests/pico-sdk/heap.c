/*
 * casyncio's heap on pico-sdk (src/port/pico-sdk/port_heap.c) beside the
 * program's malloc, both growing through the SDK's sbrk:
 *   - blocks from malloc and task stacks from casyncio's heap, taken in
 *     turn, keep their contents while the tasks run and end;
 *   - task creation that fails returns NULL with errno set, out of memory
 *     included (a stack bigger than the RAM sbrk still has, or one past
 *     SIZE_MAX / 2), and the loop goes on;
 *   - what ended tasks gave back serves new ones, bigger ones included;
 *   - casyncio takes nothing from the program's malloc: its statistics do
 *     not move while tasks (records and stacks), callbacks and a loop come
 *     and go.
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asyncio.h"

#define ROUNDS 8

static int count(void *arg) { return ++*(int *)arg; }

/* asyncio_create_task_ex with opts fails with NULL and errno == want. */
static int fails_with(asyncio_coro_fn fn, const asyncio_task_opts_t *opts, int want,
                      const char *what) {
    errno = 0;
    asyncio_task_t *t = asyncio_create_task_ex(fn, NULL, opts);
    if (t || errno != want) {
        printf("heap: %s: task %p, errno %d, want %d\n", what, (void *)t, errno, want);
        return 1;
    }
    return 0;
}

/* Tasks and malloc blocks taken in turn; every task returns its turn and
 * every block keeps its pattern. */
static int interleaved(size_t stack_size) {
    unsigned char *blocks[ROUNDS];
    asyncio_task_t *tasks[ROUNDS];
    asyncio_task_opts_t opts = {.stack_size = stack_size};
    int ran = 0, failed = 0;
    for (int i = 0; i < ROUNDS; i++) {
        size_t n = 300u + 200u * (size_t)i;
        blocks[i] = malloc(n);
        if (blocks[i]) memset(blocks[i], 0x40 + i, n);
        tasks[i] = asyncio_create_task_ex(count, &ran, &opts);
    }
    for (int i = 0; i < ROUNDS; i++) {
        if (!tasks[i] || asyncio_await(tasks[i]) != i + 1) {
            printf("heap: task %d of %u-byte stack did not run in turn\n", i, (unsigned)stack_size);
            failed++;
        }
    }
    for (int i = 0; i < ROUNDS; i++) {
        size_t n = 300u + 200u * (size_t)i;
        for (size_t k = 0; blocks[i] && k < n; k++) {
            if (blocks[i][k] != 0x40 + i) {
                printf("heap: malloc block %d overwritten at %u\n", i, (unsigned)k);
                failed++;
                break;
            }
        }
        if (!blocks[i]) failed++;
        free(blocks[i]);
    }
    return failed;
}

static void callback(void *arg) { ++*(int *)arg; }

/* Bytes in use in the program's malloc heap before and after casyncio makes
 * and frees a loop, tasks and a callback: the same. */
static int malloc_untouched(void) {
    size_t before = (size_t)mallinfo().uordblks;
    int ran = 0;
    asyncio_task_t *t = asyncio_create_task(count, &ran);
    asyncio_loop_call_soon(asyncio_get_event_loop(), callback, &ran);
    size_t during = (size_t)mallinfo().uordblks;
    if (t) asyncio_await(t);
    size_t after = (size_t)mallinfo().uordblks;
    if (during != before || after != before || ran != 2) {
        printf("heap: the program's malloc heap went %u -> %u -> %u bytes (ran %d)\n",
               (unsigned)before, (unsigned)during, (unsigned)after, ran);
        return 1;
    }
    return 0;
}

static int checks(void *arg) {
    (void)arg;
    asyncio_task_opts_t too_small = {.stack_size = ASYNCIO_MIN_STACK - 8u};
    asyncio_task_opts_t past_ram = {.stack_size = 1u << 20}; /* 1 MiB: more than the chip has */
    asyncio_task_opts_t past_size = {.stack_size = SIZE_MAX / 2u + 1u};
    int failed = malloc_untouched() + interleaved(1024u);
    failed += fails_with(NULL, NULL, EINVAL, "no function") +
              fails_with(count, &too_small, EINVAL, "stack below the minimum") +
              fails_with(count, &past_ram, ENOMEM, "stack past the RAM") +
              fails_with(count, &past_size, ENOMEM, "stack past SIZE_MAX / 2");
    failed += interleaved(1024u); /* the ended tasks' stacks again */
    failed += interleaved(4096u); /* bigger than any of them */
    return failed;
}

int main(void) { return asyncio_run(checks, NULL); }
