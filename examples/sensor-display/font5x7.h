/*
 * A 5x7 pixel font for the display: the characters the example shows.
 * Each glyph is five columns, bit 0 the top row.
 */
#ifndef SENSOR_DISPLAY_FONT5X7_H
#define SENSOR_DISPLAY_FONT5X7_H

#include <stdint.h>

/* The glyph of `c`, or NULL when the font does not have it. */
const uint8_t *font5x7_glyph(char c);

#endif
