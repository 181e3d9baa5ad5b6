/*
 * A Bosch BMP280 temperature and pressure sensor on I2C (address 0x76 with
 * SDO to ground, 0x77 to VDD): its factory calibration read once, then
 * readings compensated with the datasheet's integer formulas.
 */
#ifndef SENSOR_DISPLAY_BMP280_H
#define SENSOR_DISPLAY_BMP280_H

#include <stdint.h>

#include "machine_i2c.h"

#define BMP280_ADDR    0x76
#define BMP280_CHIP_ID 0x58

typedef struct bmp280 {
    machine_i2c_t *i2c;
    uint16_t addr;
    uint16_t t1;
    int16_t t2, t3;
    uint16_t p1;
    int16_t p2, p3, p4, p5, p6, p7, p8, p9;
} bmp280_t;

/* Checks the chip id, reads the calibration and starts measuring
 * continuously (normal mode, one sample of each per 62.5 ms). Suspends.
 * 0, -ENODEV for another chip, or a negative errno from the bus. */
int bmp280_init(bmp280_t *s, machine_i2c_t *i2c, uint16_t addr);

/* The latest measurement: temperature in hundredths of a degree Celsius,
 * pressure in pascals. Suspends. 0 or a negative errno. */
int bmp280_read(bmp280_t *s, int32_t *centi_celsius, uint32_t *pascals);

/* The compensation itself (datasheet section 3.11.3), for raw 20-bit
 * readings. */
void bmp280_compensate(const bmp280_t *s, int32_t raw_t, int32_t raw_p, int32_t *centi_celsius,
                       uint32_t *pascals);

#endif
