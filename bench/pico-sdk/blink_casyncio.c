/* The README's blink with casyncio on pico-sdk: GPIO 20 every 2 s, GPIO 19
 * every 0.5 s, each in a task. */
#include "asyncio.h"
#include "machine.h"

static machine_pin_t green, blue;

static int blink_green_led(void *arg) {
    (void)arg;
    for (;;) {
        machine_pin_toggle(&green);
        if (asyncio_sleep(2.0) < 0) return 0;
    }
}

static int blink_blue_led(void *arg) {
    (void)arg;
    for (;;) {
        machine_pin_toggle(&blue);
        if (asyncio_sleep_ms(500) < 0) return 0;
    }
}

static int main_task(void *arg) {
    (void)arg;
    asyncio_task_detach(asyncio_create_task(blink_green_led, NULL));
    asyncio_task_detach(asyncio_create_task(blink_blue_led, NULL));
    return 0;
}

int main(void) {
    machine_pin_init(&green, 20, MACHINE_PIN_OUT);
    machine_pin_init(&blue, 19, MACHINE_PIN_OUT);
    asyncio_loop_t *loop = asyncio_get_event_loop();
    asyncio_task_detach(asyncio_loop_create_task(loop, main_task, NULL));
    asyncio_loop_run_forever(loop);
}
