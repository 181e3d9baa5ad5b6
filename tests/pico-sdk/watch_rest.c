/*
 * The slow-step watch rests while the loop sleeps: with a 50 ms threshold
 * set, a task sleeps 500 ms between two toggles of GPIO 5, and the check
 * counts the cycles the CPU executed in between (a watch that kept looking
 * every 12.5 ms would wake the board 40 times).
 */
#include "asyncio.h"
#include "machine.h"

static machine_pin_t marker;

static int sleeper(void *arg) {
    (void)arg;
    machine_pin_toggle(&marker);
    int r = asyncio_sleep_ms(500);
    machine_pin_toggle(&marker);
    return r;
}

int main(void) {
    machine_pin_init(&marker, 5, MACHINE_PIN_OUT);
    asyncio_loop_t *loop = asyncio_new_event_loop();
    asyncio_loop_set_slow_task_threshold_ms(loop, 50);
    int r = asyncio_loop_run_until_complete(loop, asyncio_loop_create_task(loop, sleeper, NULL));
    asyncio_loop_close(loop);
    return r;
}
