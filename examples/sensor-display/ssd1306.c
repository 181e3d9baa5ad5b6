/*
 * SSD1306 commands (its datasheet, section 9): each I2C write starts with a
 * control byte, 0x00 for commands, 0x40 for display data.
 */
#include "ssd1306.h"

#include <stdbool.h>
#include <string.h>

#include "font5x7.h"

#define CONTROL_COMMANDS 0x00
#define CONTROL_DATA     0x40

int ssd1306_init(ssd1306_t *d, machine_i2c_t *i2c, uint16_t addr) {
    static const uint8_t power_up[] = {
        CONTROL_COMMANDS,
        0xae, /* display off */
        0x20,
        0x00, /* horizontal addressing */
        0xa1, /* column 127 is segment 0 (the usual module wiring) */
        0xc8, /* COM scan from the bottom */
        0x81,
        0x7f, /* contrast */
        0x8d,
        0x14, /* charge pump on */
        0xaf, /* display on */
    };
    d->i2c = i2c;
    d->addr = addr;
    ssd1306_clear(d);
    int r = machine_i2c_writeto(i2c, addr, power_up, sizeof power_up);
    return r < 0 ? r : 0;
}

void ssd1306_clear(ssd1306_t *d) { memset(d->frame, 0, sizeof d->frame); }

/* Column `bits` of a glyph, doubled in height: the half for `upper`. */
static uint8_t stretch(uint8_t bits, bool upper) {
    uint8_t half = upper ? bits & 0x0f : bits >> 4, out = 0;
    for (unsigned i = 0; i < 4; i++)
        if (half & (1u << i)) out |= (uint8_t)(3u << (2 * i));
    return out;
}

void ssd1306_text(ssd1306_t *d, unsigned x, unsigned page, const char *text, unsigned scale) {
    for (; *text && x < SSD1306_WIDTH; text++) {
        const uint8_t *g = font5x7_glyph(*text);
        for (unsigned col = 0; col < 6u * scale && x < SSD1306_WIDTH; col++, x++) {
            uint8_t bits = g && col / scale < 5 ? g[col / scale] : 0;
            if (scale == 1) {
                d->frame[page][x] = bits;
            } else if (page + 1 < SSD1306_PAGES) {
                d->frame[page][x] = stretch(bits, true);
                d->frame[page + 1][x] = stretch(bits, false);
            }
        }
    }
}

int ssd1306_show(ssd1306_t *d) {
    static const uint8_t window[] = {CONTROL_COMMANDS, 0x21, 0, SSD1306_WIDTH - 1, 0x22, 0,
                                     SSD1306_PAGES - 1};
    int r = machine_i2c_writeto(d->i2c, d->addr, window, sizeof window);
    /* one page (128 bytes) per write, behind its control byte */
    for (unsigned page = 0; r >= 0 && page < SSD1306_PAGES; page++) {
        uint8_t buf[1 + SSD1306_WIDTH];
        buf[0] = CONTROL_DATA;
        memcpy(buf + 1, d->frame[page], SSD1306_WIDTH);
        r = machine_i2c_writeto(d->i2c, d->addr, buf, sizeof buf);
    }
    return r < 0 ? r : 0;
}
