/*
 * Which GPIOs each I2C, SPI, PWM and ADC function can use on the RP2040 and
 * the RP2350 (their datasheets' function tables), as arithmetic: shared by
 * the argument checks of machine_i2c/spi/adc/pwm (src/machine/), which serve
 * the RP2 drivers and the host's simulation alike, so that a pin choice the
 * chip would refuse is refused on the host too.
 *
 * The chip's size comes from the port's asyncio_port_config.h: GPIO count,
 * the ADC's first GPIO and its channels (RP2040 and RP2350A: GPIO 0..29, ADC
 * on GPIO 26..29 and the temperature sensor as channel 4; RP2350B: GPIO
 * 0..47, ADC on GPIO 40..47 and the sensor as channel 8). The arithmetic
 * below holds for every GPIO of both chips.
 */
#ifndef CASYNCIO_RP2_PINMAP_H
#define CASYNCIO_RP2_PINMAP_H

#include <stdbool.h>

#include "asyncio_port_config.h" /* the chip's size, where the port says */

#if !defined(RP2_GPIO_COUNT)
#define RP2_GPIO_COUNT 30u
#endif
#if !defined(RP2_ADC_FIRST_GPIO)
#define RP2_ADC_FIRST_GPIO 26u
#endif
#if !defined(RP2_ADC_CHANNELS)
#define RP2_ADC_CHANNELS 5u /* the last one: the temperature sensor */
#endif
#define RP2_ADC_GPIO_CHANNELS (RP2_ADC_CHANNELS - 1u)

/* I2C: GPIO g is SDA (g even) or SCL (g odd) of I2C((g / 2) % 2). */
static inline bool rp2_i2c_pins_ok(unsigned id, unsigned scl, unsigned sda) {
    return id < 2u && scl < RP2_GPIO_COUNT && sda < RP2_GPIO_COUNT && sda % 2u == 0u &&
           scl % 2u == 1u && (sda / 2u) % 2u == id && (scl / 2u) % 2u == id;
}

/* SPI: GPIO g belongs to SPI((g / 8) % 2); g % 4 is its role. */
enum rp2_spi_role { RP2_SPI_RX = 0, RP2_SPI_CS = 1, RP2_SPI_SCK = 2, RP2_SPI_TX = 3 };
static inline bool rp2_spi_pin_ok(unsigned id, unsigned gpio, enum rp2_spi_role role) {
    return gpio < RP2_GPIO_COUNT && (gpio / 8u) % 2u == id && gpio % 4u == (unsigned)role;
}

/* PWM: GPIO g is channel g % 2 (A, B) of a slice: (g / 2) % 8 below GPIO 32,
 * 8 + (g / 2) % 4 above (the RP2350B's slices 8..11). */
static inline unsigned rp2_pwm_slice(unsigned gpio) {
    return gpio < 32u ? (gpio / 2u) % 8u : 8u + (gpio / 2u) % 4u;
}

#endif
