/*
 * Which RP2040 GPIOs each I2C, SPI and ADC function can use (the datasheet's
 * function table, section 2.19.2), as arithmetic: shared by the RP2040
 * drivers and by the host's simulation, so that a pin choice the chip would
 * refuse is refused on the host too.
 */
#ifndef CASYNCIO_RP2_PINMAP_H
#define CASYNCIO_RP2_PINMAP_H

#include <stdbool.h>

#define RP2_GPIO_COUNT 30u

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

/* ADC: GPIO 26..29 are channels 0..3. */
#define RP2_ADC_FIRST_GPIO 26u
#define RP2_ADC_CHANNELS   5u /* 4: the temperature sensor */

#endif
