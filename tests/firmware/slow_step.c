/*
 * The diagnostics of a firmware: with a 100 ms slow-step threshold (off
 * until set on the RP2040), a task that computes for 250 ms without
 * yielding is reported, one that computes for 50 ms or rests in a sleep is
 * not, and a detached task that fails is reported by the default exception
 * handler.
 */
#include <errno.h>
#include <stdint.h>

#include "asyncio.h"

static void compute_ms(uint32_t ms) {
    uint64_t start = asyncio_ticks_us();
    while (asyncio_ticks_us() - start < ms * 1000u) {
    }
}

static int busy(void *arg) {
    (void)arg;
    asyncio_sleep_ms(5);
    compute_ms(250);       /* reported */
    asyncio_sleep_ms(300); /* a rest is no part of a step */
    compute_ms(50);        /* below the threshold */
    asyncio_sleep_ms(5);
    return -EINVAL; /* detached: the default handler names it */
}

int main(void) {
    asyncio_loop_t *loop = asyncio_get_event_loop();
    asyncio_loop_set_slow_task_threshold_ms(loop, 100);
    asyncio_task_opts_t opts = {.name = "busy"};
    asyncio_task_detach(asyncio_create_task_ex(busy, NULL, &opts));
    asyncio_loop_run_forever(loop);
    return 0;
}
