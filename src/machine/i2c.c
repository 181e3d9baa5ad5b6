/*
 * machine_i2c (machine_i2c.h) for every port: the arguments are checked
 * here, against the RP2 pin map, and each call becomes one request for the
 * port's backend (machine_backend.h): the RP2 driver, or the host's
 * simulated bus.
 */
#include <errno.h>

#include "../drivers/rp2/rp2_pinmap.h"
#include "machine_backend.h"

#define I2C_ADDRESSES      128u
#define I2C_MIN_FREQ       1000u
#define I2C_MAX_FREQ       1000000u
#define DEFAULT_TIMEOUT_US 50000u

int machine_i2c_init(machine_i2c_t *i2c, unsigned id, unsigned scl, unsigned sda, uint32_t freq) {
    if (!i2c || !rp2_i2c_pins_ok(id, scl, sda) || freq < I2C_MIN_FREQ || freq > I2C_MAX_FREQ)
        return -EINVAL;
    i2c->id = (uint8_t)id;
    i2c->scl = (uint8_t)scl;
    i2c->sda = (uint8_t)sda;
    i2c->freq = freq;
    i2c->timeout_us = DEFAULT_TIMEOUT_US;
    return machine_i2c_backend_init(i2c);
}

void machine_i2c_set_timeout_us(machine_i2c_t *i2c, uint32_t timeout_us) {
    if (i2c) i2c->timeout_us = timeout_us;
}

/* The request checked and carried out: what the caller asked to read (rn),
 * else to write (`written`), or a negative errno. */
static int i2c_transfer(machine_i2c_t *i2c, const machine_i2c_request_t *rq, size_t written) {
    if (!i2c || i2c->id >= MACHINE_I2C_COUNT || rq->addr >= I2C_ADDRESSES) return -EINVAL;
    if ((rq->wn && !rq->wbuf) || (rq->rn && !rq->rbuf)) return -EINVAL;
    int err = machine_i2c_backend_transfer(i2c, rq);
    if (err) return err;
    return (int)(rq->rn ? rq->rn : written);
}

int machine_i2c_writeto(machine_i2c_t *i2c, uint16_t addr, const void *buf, size_t n) {
    machine_i2c_request_t rq = {addr, {0, 0}, 0, buf, (uint32_t)n, NULL, 0};
    return i2c_transfer(i2c, &rq, n);
}

int machine_i2c_readfrom(machine_i2c_t *i2c, uint16_t addr, void *buf, size_t n) {
    if (n == 0) return -EINVAL;
    machine_i2c_request_t rq = {addr, {0, 0}, 0, NULL, 0, buf, (uint32_t)n};
    return i2c_transfer(i2c, &rq, 0);
}

int machine_i2c_writeto_then_readfrom(machine_i2c_t *i2c, uint16_t addr, const void *wbuf,
                                      size_t wn, void *rbuf, size_t rn) {
    if (wn == 0 || rn == 0) return -EINVAL;
    machine_i2c_request_t rq = {addr, {0, 0}, 0, wbuf, (uint32_t)wn, rbuf, (uint32_t)rn};
    return i2c_transfer(i2c, &rq, wn);
}

/* A request whose write starts with register address memaddr (addrsize
 * bits, most significant byte first): 0, or -EINVAL. */
static int mem_request(machine_i2c_request_t *rq, uint16_t addr, uint16_t memaddr,
                       unsigned addrsize) {
    *rq = (machine_i2c_request_t){addr, {0, 0}, 0, NULL, 0, NULL, 0};
    if (addrsize == 8u && memaddr <= 0xffu) {
        rq->pre[0] = (uint8_t)memaddr;
        rq->pn = 1;
        return 0;
    }
    if (addrsize != 16u) return -EINVAL;
    rq->pre[0] = (uint8_t)(memaddr >> 8);
    rq->pre[1] = (uint8_t)memaddr;
    rq->pn = 2;
    return 0;
}

int machine_i2c_writeto_mem(machine_i2c_t *i2c, uint16_t addr, uint16_t memaddr, unsigned addrsize,
                            const void *buf, size_t n) {
    machine_i2c_request_t rq;
    if (mem_request(&rq, addr, memaddr, addrsize)) return -EINVAL;
    rq.wbuf = buf;
    rq.wn = (uint32_t)n;
    return i2c_transfer(i2c, &rq, n);
}

int machine_i2c_readfrom_mem(machine_i2c_t *i2c, uint16_t addr, uint16_t memaddr, unsigned addrsize,
                             void *buf, size_t n) {
    machine_i2c_request_t rq;
    if (mem_request(&rq, addr, memaddr, addrsize) || n == 0) return -EINVAL;
    rq.rbuf = buf;
    rq.rn = (uint32_t)n;
    return i2c_transfer(i2c, &rq, 0);
}

int machine_i2c_scan(machine_i2c_t *i2c, uint8_t *found, size_t max) {
    if (max && !found) return -EINVAL;
    int count = 0;
    for (uint16_t addr = 0x08; addr <= 0x77; addr++) {
        int r = machine_i2c_writeto(i2c, addr, NULL, 0);
        if (r == -ENXIO) continue;
        if (r < 0) return r;
        if ((size_t)count < max) found[count] = (uint8_t)addr;
        count++;
    }
    return count;
}
