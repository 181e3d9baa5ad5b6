/*
 * The slow-step threshold on the RP2040: under 50 ms a task that computes
 * for 200 ms without yielding is named on the UART with its length, one that
 * computes for 20 ms is not, and nothing is watched with the threshold at 0
 * (check.mjs threshold; slow_step.c has the default threshold).
 */
#include <stdint.h>

#include "asyncio.h"

struct crunch {
    uint32_t ms;
};

/* Computes for arg->ms on the loop's clock without yielding. */
static int crunch(void *arg) {
    const struct crunch *c = arg;
    uint64_t until = asyncio_ticks_us() + (uint64_t)c->ms * 1000u;
    while (asyncio_ticks_us() < until) {
    }
    return asyncio_yield();
}

static int run(asyncio_loop_t *loop, const char *name, uint32_t ms) {
    static struct crunch c;
    c.ms = ms;
    asyncio_task_opts_t opts = {.name = name};
    asyncio_set_event_loop(loop);
    return asyncio_loop_run_until_complete(loop, asyncio_create_task_ex(crunch, &c, &opts));
}

int main(void) {
    asyncio_loop_t *loop = asyncio_new_event_loop();
    asyncio_loop_set_slow_task_threshold_ms(loop, 50);
    int r = run(loop, "cruncher", 200); /* reported */
    r |= run(loop, "nibbler", 20);      /* under the threshold */
    asyncio_loop_set_slow_task_threshold_ms(loop, 0);
    r |= run(loop, "unwatched", 200); /* not watched */
    asyncio_loop_close(loop);
    return r;
}
