/*
 * The blink program's two LEDs as drift-free periodic tasks: each adds its
 * period to its previous deadline and sleeps until then, so wake-up latency
 * never accumulates (check.mjs periodic: every period exact to 2 us).
 */
#include "asyncio.h"
#include "machine.h"

static machine_pin_t green, blue;

struct blinker {
    machine_pin_t *pin;
    uint64_t period_us;
};

static int blink_every(void *arg) {
    const struct blinker *b = arg;
    uint64_t next = asyncio_ticks_us();
    for (;;) {
        machine_pin_toggle(b->pin);
        next += b->period_us;
        if (asyncio_sleep_until_us(next) < 0) return 0;
    }
}

int main(void) {
    static const struct blinker green_2s = {&green, 2000000}, blue_500ms = {&blue, 500000};
    machine_pin_init(&green, 20, MACHINE_PIN_OUT);
    machine_pin_init(&blue, 19, MACHINE_PIN_OUT);
    asyncio_loop_t *loop = asyncio_get_event_loop();
    asyncio_task_detach(asyncio_loop_create_task(loop, blink_every, (void *)&green_2s));
    asyncio_task_detach(asyncio_loop_create_task(loop, blink_every, (void *)&blue_500ms));
    asyncio_loop_run_forever(loop);
}
