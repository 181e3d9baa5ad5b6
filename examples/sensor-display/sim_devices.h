/*
 * The host's stand-ins for the example's chips (machine_sim.h devices): a
 * BMP280 whose registers hold the calibration and readings of its
 * datasheet's worked example (25.08 C, 1006.53 hPa), and an SSD1306 that
 * keeps what it is sent in a frame buffer laid out as the chip's.
 */
#ifndef SENSOR_DISPLAY_SIM_DEVICES_H
#define SENSOR_DISPLAY_SIM_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

#include "machine_sim.h"

typedef struct sim_bmp280 {
    uint8_t mem[256];
    machine_i2c_sim_regs_t regs;
} sim_bmp280_t;

/* Attaches the sensor at addr of I2C bus `bus`: 0 or a negative errno. */
int sim_bmp280_attach(sim_bmp280_t *s, unsigned bus, uint16_t addr);
/* Sets the raw 20-bit readings the sensor reports. */
void sim_bmp280_set_raw(sim_bmp280_t *s, int32_t raw_t, int32_t raw_p);

typedef struct sim_ssd1306 {
    uint8_t frame[8][128]; /* as the chip's RAM: bit y % 8 of frame[y / 8][x] */
    bool on;               /* the display-on command came */
    unsigned frames;       /* whole frames received (the pointer wrapped) */
    /* private */
    machine_i2c_sim_device_t dev;
    int control; /* -1: none yet in this write */
    uint8_t cmd[3], n_cmd;
    unsigned col, page, col_start, col_end, page_start, page_end;
    void (*on_frame)(struct sim_ssd1306 *d); /* after each whole frame */
} sim_ssd1306_t;

int sim_ssd1306_attach(sim_ssd1306_t *d, unsigned bus, uint16_t addr);

#endif
