/*
 * machine.h on the RP2040: GPIOs driven through the SIO block, edges seen
 * through the IO_BANK0 interrupt (machine_pin_edge.c).
 */
#include <errno.h>
#include <stdint.h>

#include "machine.h"
#include "regs.h"

/* The SIO's GPIO registers hold one bit per pin in one word. */
_Static_assert(MACHINE_PIN_COUNT <= 32u, "the RP2040's SIO has GPIO 0..31 in one word");

/* SIO's registers, reached from its base where several are written in a row
 * (see BLOCK_REG in regs.h). */
#define SIO(reg) BLOCK_REG(SIO_BASE, reg)

/* noinline: a size build would copy it into every caller (with constant
 * arguments, each copy is still most of the function). */
__attribute__((noinline)) int machine_pin_init(machine_pin_t *pin, unsigned gpio,
                                               machine_pin_mode_t mode) {
    if (!pin || gpio >= MACHINE_PIN_COUNT || (mode != MACHINE_PIN_IN && mode != MACHINE_PIN_OUT)) {
        return -EINVAL;
    }
    pin->gpio = (uint8_t)gpio;
    pin->mode = (uint8_t)mode;
    uint32_t bit = 1u << gpio;
    SIO(SIO_GPIO_OE_CLR) = bit;
    SIO(SIO_GPIO_OUT_CLR) = bit;
    /* Input buffer on (value reads and edge detection need it), output
     * driver allowed; the pulls keep their reset state until pull(). */
    REG_SET(PADS_GPIO(gpio)) = PADS_IE;
    REG_CLR(PADS_GPIO(gpio)) = PADS_OD;
    REG(IO_GPIO_CTRL(gpio)) = IO_FUNC_SIO;
    if (mode == MACHINE_PIN_OUT) {
        SIO(SIO_GPIO_OE_SET) = bit;
    }
    return 0;
}

void machine_pin_pull(machine_pin_t *pin, machine_pin_pull_t pull) {
    uint32_t pad = PADS_GPIO(pin->gpio);
    REG_CLR(pad) = PADS_PUE | PADS_PDE;
    if (pull == MACHINE_PIN_PULL_UP) {
        REG_SET(pad) = PADS_PUE;
    } else if (pull == MACHINE_PIN_PULL_DOWN) {
        REG_SET(pad) = PADS_PDE;
    }
}

void machine_pin_value_set(machine_pin_t *pin, int v) {
    if (v) {
        REG(SIO_GPIO_OUT_SET) = 1u << pin->gpio;
    } else {
        REG(SIO_GPIO_OUT_CLR) = 1u << pin->gpio;
    }
}

void machine_pin_on(machine_pin_t *pin) { REG(SIO_GPIO_OUT_SET) = 1u << pin->gpio; }

void machine_pin_off(machine_pin_t *pin) { REG(SIO_GPIO_OUT_CLR) = 1u << pin->gpio; }

void machine_pin_toggle(machine_pin_t *pin) { REG(SIO_GPIO_OUT_XOR) = 1u << pin->gpio; }

/* An output reads back the level it drives (GPIO_OUT): the pad input would
 * say the same unless something outside fights the driver. */
int machine_pin_value(const machine_pin_t *pin) {
    uint32_t levels = pin->mode == MACHINE_PIN_OUT ? REG(SIO_GPIO_OUT) : REG(SIO_GPIO_IN);
    return (int)((levels >> pin->gpio) & 1u);
}
