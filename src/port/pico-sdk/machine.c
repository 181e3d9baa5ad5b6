/*
 * machine.h on pico-sdk: pins through hardware_gpio.
 */
#include <errno.h>
#include <stdint.h>

#include "hardware/gpio.h"
#include "machine.h"

int machine_pin_init(machine_pin_t *pin, unsigned gpio, machine_pin_mode_t mode) {
    if (!pin || gpio >= MACHINE_PIN_COUNT || (mode != MACHINE_PIN_IN && mode != MACHINE_PIN_OUT)) {
        return -EINVAL;
    }
    pin->gpio = (uint8_t)gpio;
    pin->mode = (uint8_t)mode;
    gpio_init(gpio); /* SIO function, input, output latch low */
    gpio_set_dir(gpio, mode == MACHINE_PIN_OUT);
    return 0;
}

void machine_pin_pull(machine_pin_t *pin, machine_pin_pull_t pull) {
    gpio_set_pulls(pin->gpio, pull == MACHINE_PIN_PULL_UP, pull == MACHINE_PIN_PULL_DOWN);
}

void machine_pin_value_set(machine_pin_t *pin, int v) { gpio_put(pin->gpio, v != 0); }

void machine_pin_on(machine_pin_t *pin) { gpio_put(pin->gpio, 1); }

void machine_pin_off(machine_pin_t *pin) { gpio_put(pin->gpio, 0); }

/* The pin's bank of 32 and its bit there: no 64-bit shift (a library call
 * on the Cortex-M0+) for a mask whose upper half only the RP2350B uses. */
void machine_pin_toggle(machine_pin_t *pin) {
    gpio_xor_mask_n(pin->gpio / 32u, 1u << (pin->gpio % 32u));
}

/* An output reads back the level it drives: the pad input would say the
 * same unless something outside fights the driver. */
int machine_pin_value(const machine_pin_t *pin) {
    return pin->mode == MACHINE_PIN_OUT ? (int)gpio_get_out_level(pin->gpio)
                                        : (int)gpio_get(pin->gpio);
}
