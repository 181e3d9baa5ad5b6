/*
 * An SSD1306 128x64 OLED display on I2C: a frame buffer in RAM, drawn into
 * with text, and sent whole to the display (1 KiB at 400 kHz: about 23 ms,
 * during which the other tasks run).
 */
#ifndef SENSOR_DISPLAY_SSD1306_H
#define SENSOR_DISPLAY_SSD1306_H

#include <stdint.h>

#include "machine_i2c.h"

#define SSD1306_ADDR  0x3c
#define SSD1306_WIDTH 128u
#define SSD1306_PAGES 8u /* 8 rows of 8 pixels: 64 rows */

typedef struct ssd1306 {
    machine_i2c_t *i2c;
    uint16_t addr;
    /* pixel (x, y) is bit y % 8 of frame[y / 8][x], as the display stores it */
    uint8_t frame[SSD1306_PAGES][SSD1306_WIDTH];
} ssd1306_t;

/* Sends the power-up commands (horizontal addressing, display on). Suspends.
 * 0 or a negative errno from the bus. */
int ssd1306_init(ssd1306_t *d, machine_i2c_t *i2c, uint16_t addr);

/* Blanks the frame buffer (nothing is sent). */
void ssd1306_clear(ssd1306_t *d);

/* Draws `text` from column x on text line `page` (0..7), 6 pixels a
 * character, `scale` 1 or 2 (2: twice as wide and tall, taking pages page
 * and page + 1). Characters the font lacks are blank. */
void ssd1306_text(ssd1306_t *d, unsigned x, unsigned page, const char *text, unsigned scale);

/* Sends the frame buffer to the display. Suspends. 0 or a negative errno. */
int ssd1306_show(ssd1306_t *d);

#endif
