/*
 * BMP280 registers (datasheet section 4): id 0xd0, calibration 0x88..0x9f
 * (little-endian words), ctrl_meas 0xf4, config 0xf5, measurements
 * 0xf7..0xfc (pressure then temperature, 20 bits each, most significant
 * first).
 */
#include "bmp280.h"

#include <errno.h>

#define REG_CALIB     0x88
#define REG_ID        0xd0
#define REG_CTRL_MEAS 0xf4
#define REG_CONFIG    0xf5
#define REG_PRESS     0xf7

static uint16_t u16le(const uint8_t *b) { return (uint16_t)(b[0] | b[1] << 8); }
static int16_t s16le(const uint8_t *b) { return (int16_t)u16le(b); }

int bmp280_init(bmp280_t *s, machine_i2c_t *i2c, uint16_t addr) {
    uint8_t id = 0, c[24];
    s->i2c = i2c;
    s->addr = addr;
    int r = machine_i2c_readfrom_mem(i2c, addr, REG_ID, 8, &id, 1);
    if (r < 0) return r;
    if (id != BMP280_CHIP_ID) return -ENODEV;
    r = machine_i2c_readfrom_mem(i2c, addr, REG_CALIB, 8, c, sizeof c);
    if (r < 0) return r;
    s->t1 = u16le(c);
    s->t2 = s16le(c + 2);
    s->t3 = s16le(c + 4);
    s->p1 = u16le(c + 6);
    s->p2 = s16le(c + 8);
    s->p3 = s16le(c + 10);
    s->p4 = s16le(c + 12);
    s->p5 = s16le(c + 14);
    s->p6 = s16le(c + 16);
    s->p7 = s16le(c + 18);
    s->p8 = s16le(c + 20);
    s->p9 = s16le(c + 22);
    /* standby 62.5 ms, no filter; temperature and pressure x1, normal mode */
    const uint8_t config[2] = {0x20, 0x27};
    r = machine_i2c_writeto_mem(i2c, addr, REG_CONFIG, 8, config, 1);
    if (r < 0) return r;
    r = machine_i2c_writeto_mem(i2c, addr, REG_CTRL_MEAS, 8, config + 1, 1);
    return r < 0 ? r : 0;
}

/* The datasheet's formulas shift signed values right (arithmetic shifts,
 * as GCC and Clang do them) and left (written here as multiplications, which
 * C defines for negative values). */
void bmp280_compensate(const bmp280_t *s, int32_t raw_t, int32_t raw_p, int32_t *centi_celsius,
                       uint32_t *pascals) {
    int32_t d = (raw_t >> 4) - (int32_t)s->t1;
    int32_t var1 = (((raw_t >> 3) - ((int32_t)s->t1 << 1)) * s->t2) >> 11;
    int32_t var2 = (((d * d) >> 12) * s->t3) >> 14;
    int32_t t_fine = var1 + var2;
    *centi_celsius = (t_fine * 5 + 128) >> 8;

    int64_t v1 = (int64_t)t_fine - 128000;
    int64_t v2 = v1 * v1 * s->p6;
    v2 += (v1 * s->p5) * 131072;
    v2 += (int64_t)s->p4 * 34359738368;
    v1 = ((v1 * v1 * s->p3) >> 8) + ((v1 * s->p2) * 4096);
    v1 = ((((int64_t)1) << 47) + v1) * s->p1 >> 33;
    if (v1 == 0) {
        *pascals = 0; /* no division by zero (an unprogrammed chip) */
        return;
    }
    int64_t p = 1048576 - raw_p;
    p = (p * 2147483648 - v2) * 3125 / v1;
    v1 = ((int64_t)s->p9 * (p >> 13) * (p >> 13)) >> 25;
    v2 = ((int64_t)s->p8 * p) >> 19;
    p = ((p + v1 + v2) >> 8) + ((int64_t)s->p7 * 16);
    *pascals = (uint32_t)(p >> 8); /* p is in 1/256 Pa */
}

int bmp280_read(bmp280_t *s, int32_t *centi_celsius, uint32_t *pascals) {
    uint8_t m[6];
    int r = machine_i2c_readfrom_mem(s->i2c, s->addr, REG_PRESS, 8, m, sizeof m);
    if (r < 0) return r;
    int32_t raw_p = (int32_t)((uint32_t)m[0] << 12 | (uint32_t)m[1] << 4 | m[2] >> 4);
    int32_t raw_t = (int32_t)((uint32_t)m[3] << 12 | (uint32_t)m[4] << 4 | m[5] >> 4);
    bmp280_compensate(s, raw_t, raw_p, centi_celsius, pascals);
    return 0;
}
