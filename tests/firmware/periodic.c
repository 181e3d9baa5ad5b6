/*
 * The blink program's two LEDs as drift-free periodic tasks: each adds its
 * period to its previous deadline and sleeps until then, so wake-up latency
 * never accumulates (check.mjs periodic: every period exact to 2 us).
 *
 * Green runs a quarter second out of phase: two tasks due at the same
 * microsecond run one after the other on one core, so the second one's
 * toggle would come a whole task step (a few microseconds) late.
 */
#include "asyncio.h"
#include "machine.h"

static machine_pin_t green, blue;

struct blinker {
    machine_pin_t *pin;
    uint64_t period_us, phase_us;
};

static int blink_every(void *arg) {
    const struct blinker *b = arg;
    uint64_t next = asyncio_ticks_us() + b->phase_us;
    if (asyncio_sleep_until_us(next) < 0) return 0;
    for (;;) {
        machine_pin_toggle(b->pin);
        next += b->period_us;
        if (asyncio_sleep_until_us(next) < 0) return 0;
    }
}

int main(void) {
    static const struct blinker green_2s = {&green, 2000000, 250000};
    static const struct blinker blue_500ms = {&blue, 500000, 0};
    machine_pin_init(&green, 20, MACHINE_PIN_OUT);
    machine_pin_init(&blue, 19, MACHINE_PIN_OUT);
    asyncio_loop_t *loop = asyncio_get_event_loop();
    asyncio_task_detach(asyncio_loop_create_task(loop, blink_every, (void *)&green_2s));
    asyncio_task_detach(asyncio_loop_create_task(loop, blink_every, (void *)&blue_500ms));
    asyncio_loop_run_forever(loop);
}
