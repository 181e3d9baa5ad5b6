/*
 * The simulated BMP280 is a register map (machine_sim.h); the simulated
 * SSD1306 follows the commands the example sends: display on/off, the
 * column and page windows, horizontal addressing of display data.
 */
#include "sim_devices.h"

#include <string.h>

/* The datasheet's example (BMP280 datasheet, section 3.12): calibration
 * dig_T1..dig_P9 and the readings 519888 / 415148. */
static const uint16_t example_calibration[12] = {
    27504, 26435, (uint16_t)-1000, 36477, (uint16_t)-10685, 3024,
    2855,  140,   (uint16_t)-7,    15500, (uint16_t)-14600, 6000};

void sim_bmp280_set_raw(sim_bmp280_t *s, int32_t raw_t, int32_t raw_p) {
    const int32_t raw[2] = {raw_p, raw_t};
    for (unsigned i = 0; i < 2; i++) {
        s->mem[0xf7 + 3 * i] = (uint8_t)(raw[i] >> 12);
        s->mem[0xf8 + 3 * i] = (uint8_t)(raw[i] >> 4);
        s->mem[0xf9 + 3 * i] = (uint8_t)(raw[i] << 4);
    }
}

int sim_bmp280_attach(sim_bmp280_t *s, unsigned bus, uint16_t addr) {
    memset(s, 0, sizeof *s);
    s->mem[0xd0] = 0x58;
    for (unsigned i = 0; i < 12; i++) {
        s->mem[0x88 + 2 * i] = (uint8_t)example_calibration[i];
        s->mem[0x89 + 2 * i] = (uint8_t)(example_calibration[i] >> 8);
    }
    sim_bmp280_set_raw(s, 519888, 415148);
    s->regs = (machine_i2c_sim_regs_t){.mem = s->mem, .size = sizeof s->mem, .addr_bytes = 1};
    return machine_i2c_sim_attach_regs(bus, addr, &s->regs);
}

static bool display_start(void *ctx, bool read) {
    sim_ssd1306_t *d = ctx;
    d->control = -1;
    d->n_cmd = 0;
    return !read;
}

/* A whole command (with its arguments) is in d->cmd. */
static void display_command(sim_ssd1306_t *d) {
    switch (d->cmd[0]) {
    case 0xae:
        d->on = false;
        break;
    case 0xaf:
        d->on = true;
        break;
    case 0x21:
        d->col = d->col_start = d->cmd[1] & 127u;
        d->col_end = d->cmd[2] & 127u;
        break;
    case 0x22:
        d->page = d->page_start = d->cmd[1] & 7u;
        d->page_end = d->cmd[2] & 7u;
        break;
    default:
        break;
    }
    d->n_cmd = 0;
}

/* The arguments each command the example sends takes. */
static unsigned command_length(uint8_t c) {
    switch (c) {
    case 0x21:
    case 0x22:
        return 3;
    case 0x20:
    case 0x81:
    case 0x8d:
        return 2;
    default:
        return 1;
    }
}

static void display_data(sim_ssd1306_t *d, uint8_t byte) {
    d->frame[d->page][d->col] = byte;
    if (d->col++ < d->col_end) return;
    d->col = d->col_start;
    if (d->page++ < d->page_end) return;
    d->page = d->page_start;
    d->frames++;
    if (d->on_frame) d->on_frame(d);
}

static bool display_write(void *ctx, uint8_t byte) {
    sim_ssd1306_t *d = ctx;
    if (d->control < 0) {
        d->control = byte;
    } else if (d->control == 0x40) {
        display_data(d, byte);
    } else {
        d->cmd[d->n_cmd++] = byte;
        if (d->n_cmd == command_length(d->cmd[0])) display_command(d);
    }
    return true;
}

int sim_ssd1306_attach(sim_ssd1306_t *d, unsigned bus, uint16_t addr) {
    void (*on_frame)(sim_ssd1306_t *) = d->on_frame;
    memset(d, 0, sizeof *d);
    d->on_frame = on_frame;
    d->col_end = 127;
    d->page_end = 7;
    d->dev = (machine_i2c_sim_device_t){display_start, display_write, NULL, NULL, d};
    return machine_i2c_sim_attach(bus, addr, &d->dev);
}
