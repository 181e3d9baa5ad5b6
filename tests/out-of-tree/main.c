/* A user's program: a task blinks GPIO 25 four times, then main prints how
 * many times it blinked and returns. */
#include <stdio.h>

#include "asyncio.h"
#include "machine.h"

static int blink_four_times(void *arg) {
    machine_pin_t *led = arg;
    int blinks = 0;
    for (; blinks < 4; blinks++) {
        machine_pin_toggle(led);
        if (asyncio_sleep_ms(50) < 0) break;
        machine_pin_toggle(led);
        if (asyncio_sleep_ms(50) < 0) break;
    }
    return blinks;
}

int main(void) {
    machine_pin_t led;
    machine_pin_init(&led, 25, MACHINE_PIN_OUT);
    int blinks = asyncio_run(blink_four_times, &led);
    printf("out-of-tree: blinked %d times\n", blinks);
    return blinks == 4 ? 0 : 1;
}
