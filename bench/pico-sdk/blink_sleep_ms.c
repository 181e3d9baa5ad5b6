/* The same two LEDs without casyncio: one loop and sleep_ms, GPIO 19 every
 * pass (0.5 s), GPIO 20 every fourth (2 s). */
#include "pico/stdlib.h"

int main(void) {
    gpio_init(20);
    gpio_set_dir(20, GPIO_OUT);
    gpio_init(19);
    gpio_set_dir(19, GPIO_OUT);
    for (unsigned pass = 0;; pass++) {
        if (pass % 4 == 0) gpio_xor_mask(1u << 20);
        gpio_xor_mask(1u << 19);
        sleep_ms(500);
    }
}
