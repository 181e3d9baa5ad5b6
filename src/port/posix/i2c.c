/*
 * machine_i2c on the host: transfers reach the devices a test or program
 * attached (machine_sim.h), byte by byte as the bus would carry them, and
 * then take their bus time in the loop's clock (9 bit times a byte, one for
 * each START and STOP). The bus is one lock per controller.
 */
#include <errno.h>
#include <string.h>

#include "../../../include/asyncio.h"
#include "../../../include/machine_sim.h"
#include "../../drivers/rp2/rp2_pinmap.h"
#include "sim.h"

#define I2C_ADDRESSES      128u
#define DEFAULT_TIMEOUT_US 50000u
#define RECOVERY_BITS      10u /* nine clocks and a STOP */

struct sim_i2c_bus {
    asyncio_lock_t lock;
    const machine_i2c_sim_device_t *devices[I2C_ADDRESSES];
    bool held;
    unsigned recoveries;
};

static struct sim_i2c_bus buses[MACHINE_I2C_COUNT] = {{.lock = ASYNCIO_LOCK_INIT},
                                                      {.lock = ASYNCIO_LOCK_INIT}};

int machine_i2c_init(machine_i2c_t *i2c, unsigned id, unsigned scl, unsigned sda, uint32_t freq) {
    if (!i2c || !rp2_i2c_pins_ok(id, scl, sda) || freq < 1000u || freq > 1000000u) return -EINVAL;
    i2c->id = (uint8_t)id;
    i2c->scl = (uint8_t)scl;
    i2c->sda = (uint8_t)sda;
    i2c->freq = freq;
    i2c->timeout_us = DEFAULT_TIMEOUT_US;
    return 0;
}

void machine_i2c_set_timeout_us(machine_i2c_t *i2c, uint32_t timeout_us) {
    if (i2c) i2c->timeout_us = timeout_us;
}

/* ---- one transfer on the simulated wires ------------------------------------ */

/* What a transfer asks for: write the pn bytes of pre (a register address)
 * and wn bytes, then (after a repeated START when both) read rn bytes. */
struct i2c_request {
    uint16_t addr;
    uint8_t pre[2];
    size_t pn;
    const uint8_t *wbuf;
    size_t wn;
    uint8_t *rbuf;
    size_t rn;
};

static bool dev_start(const machine_i2c_sim_device_t *d, bool read) {
    return d && (!d->start || d->start(d->ctx, read));
}

static void dev_stop(const machine_i2c_sim_device_t *d) {
    if (d && d->stop) d->stop(d->ctx);
}

/* Carries the request to the device, counting bit times in *bits. Returns
 * the transfer's result. */
static int i2c_exchange(const machine_i2c_sim_device_t *d, const struct i2c_request *rq,
                        uint64_t *bits) {
    bool writes = rq->pn + rq->wn > 0 || rq->rn == 0;
    *bits = 2; /* START and STOP */
    if (writes) {
        *bits += 9;
        if (!dev_start(d, false)) return -ENXIO;
        for (size_t i = 0; i < rq->pn + rq->wn; i++) {
            uint8_t byte = i < rq->pn ? rq->pre[i] : rq->wbuf[i - rq->pn];
            *bits += 9;
            if (d->write && !d->write(d->ctx, byte)) {
                dev_stop(d);
                return -EIO;
            }
        }
    }
    if (rq->rn) {
        *bits += writes ? 10 : 9; /* a repeated START, the address */
        if (!dev_start(d, true)) {
            if (writes) dev_stop(d);
            return -ENXIO;
        }
        for (size_t i = 0; i < rq->rn; i++) {
            *bits += 9;
            rq->rbuf[i] = d->read ? d->read(d->ctx) : 0xffu;
        }
    }
    dev_stop(d);
    return 0;
}

/* A held bus: the transfer stalls until its timeout, then the controller is
 * reset and the bus clocked free. */
static int i2c_stuck(struct sim_i2c_bus *bus, const machine_i2c_t *i2c) {
    int err = asyncio_sleep_us(i2c->timeout_us);
    if (err) return err;
    bus->recoveries++;
    err = asyncio_sleep_us(sim_bits_us(RECOVERY_BITS, i2c->freq));
    return err ? err : -EIO;
}

static int i2c_transfer(machine_i2c_t *i2c, const struct i2c_request *rq) {
    if (!i2c || i2c->id >= MACHINE_I2C_COUNT || rq->addr >= I2C_ADDRESSES) return -EINVAL;
    if ((rq->wn && !rq->wbuf) || (rq->rn && !rq->rbuf)) return -EINVAL;
    struct sim_i2c_bus *bus = &buses[i2c->id];
    int err = asyncio_lock_acquire(&bus->lock);
    if (err) return err;
    int result;
    if (bus->held) {
        result = i2c_stuck(bus, i2c);
    } else {
        uint64_t bits;
        result = i2c_exchange(bus->devices[rq->addr], rq, &bits);
        err = asyncio_sleep_us(sim_bits_us(bits, i2c->freq));
        if (err) result = err;
    }
    asyncio_lock_release(&bus->lock);
    if (result < 0) return result;
    return (int)(rq->rn ? rq->rn : rq->wn);
}

/* ---- the public calls ---------------------------------------------------------- */

int machine_i2c_writeto(machine_i2c_t *i2c, uint16_t addr, const void *buf, size_t n) {
    struct i2c_request rq = {addr, {0, 0}, 0, buf, n, NULL, 0};
    return i2c_transfer(i2c, &rq);
}

int machine_i2c_readfrom(machine_i2c_t *i2c, uint16_t addr, void *buf, size_t n) {
    if (n == 0) return -EINVAL;
    struct i2c_request rq = {addr, {0, 0}, 0, NULL, 0, buf, n};
    return i2c_transfer(i2c, &rq);
}

int machine_i2c_writeto_then_readfrom(machine_i2c_t *i2c, uint16_t addr, const void *wbuf,
                                      size_t wn, void *rbuf, size_t rn) {
    if (wn == 0 || rn == 0) return -EINVAL;
    struct i2c_request rq = {addr, {0, 0}, 0, wbuf, wn, rbuf, rn};
    return i2c_transfer(i2c, &rq);
}

/* A request whose write starts with register address memaddr (addrsize
 * bits, most significant byte first): 0, or -EINVAL. */
static int mem_request(struct i2c_request *rq, uint16_t addr, uint16_t memaddr, unsigned addrsize) {
    memset(rq, 0, sizeof *rq);
    rq->addr = addr;
    if (addrsize == 8 && memaddr <= 0xffu) {
        rq->pre[0] = (uint8_t)memaddr;
        rq->pn = 1;
        return 0;
    }
    if (addrsize != 16) return -EINVAL;
    rq->pre[0] = (uint8_t)(memaddr >> 8);
    rq->pre[1] = (uint8_t)memaddr;
    rq->pn = 2;
    return 0;
}

int machine_i2c_writeto_mem(machine_i2c_t *i2c, uint16_t addr, uint16_t memaddr, unsigned addrsize,
                            const void *buf, size_t n) {
    struct i2c_request rq;
    if (mem_request(&rq, addr, memaddr, addrsize)) return -EINVAL;
    rq.wbuf = buf;
    rq.wn = n;
    int r = i2c_transfer(i2c, &rq);
    return r < 0 ? r : (int)n;
}

int machine_i2c_readfrom_mem(machine_i2c_t *i2c, uint16_t addr, uint16_t memaddr, unsigned addrsize,
                             void *buf, size_t n) {
    struct i2c_request rq;
    if (mem_request(&rq, addr, memaddr, addrsize) || n == 0) return -EINVAL;
    rq.rbuf = buf;
    rq.rn = n;
    return i2c_transfer(i2c, &rq);
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

/* ---- simulated devices ------------------------------------------------------------ */

int machine_i2c_sim_attach(unsigned bus, uint16_t addr, const machine_i2c_sim_device_t *dev) {
    if (bus >= MACHINE_I2C_COUNT || addr >= I2C_ADDRESSES || !dev) return -EINVAL;
    if (buses[bus].devices[addr]) return -EADDRINUSE;
    buses[bus].devices[addr] = dev;
    return 0;
}

int machine_i2c_sim_detach(unsigned bus, uint16_t addr) {
    if (bus >= MACHINE_I2C_COUNT || addr >= I2C_ADDRESSES) return -EINVAL;
    if (!buses[bus].devices[addr]) return -ENOENT;
    buses[bus].devices[addr] = NULL;
    return 0;
}

static bool regs_start(void *ctx, bool read) {
    machine_i2c_sim_regs_t *r = ctx;
    if (!read) r->addr_seen = 0;
    return true;
}

static bool regs_write(void *ctx, uint8_t byte) {
    machine_i2c_sim_regs_t *r = ctx;
    if (r->addr_seen < r->addr_bytes) {
        r->pointer = ((r->addr_seen ? r->pointer << 8 : 0) | byte) % r->size;
        r->addr_seen++;
        return true;
    }
    r->mem[r->pointer] = byte;
    r->pointer = (r->pointer + 1) % r->size;
    return true;
}

static uint8_t regs_read(void *ctx) {
    machine_i2c_sim_regs_t *r = ctx;
    uint8_t byte = r->mem[r->pointer];
    r->pointer = (r->pointer + 1) % r->size;
    return byte;
}

int machine_i2c_sim_attach_regs(unsigned bus, uint16_t addr, machine_i2c_sim_regs_t *regs) {
    if (!regs || !regs->mem || !regs->size || regs->addr_bytes < 1 || regs->addr_bytes > 2)
        return -EINVAL;
    regs->pointer = 0;
    regs->addr_seen = 0;
    regs->dev = (machine_i2c_sim_device_t){regs_start, regs_write, regs_read, NULL, regs};
    return machine_i2c_sim_attach(bus, addr, &regs->dev);
}

void machine_i2c_sim_hold_bus(unsigned bus, bool held) {
    if (bus < MACHINE_I2C_COUNT) buses[bus].held = held;
}

unsigned machine_i2c_sim_recoveries(unsigned bus) {
    return bus < MACHINE_I2C_COUNT ? buses[bus].recoveries : 0;
}

void sim_i2c_reset(void) {
    for (unsigned b = 0; b < MACHINE_I2C_COUNT; b++) {
        memset(buses[b].devices, 0, sizeof buses[b].devices);
        buses[b].held = false;
        buses[b].recoveries = 0;
    }
}
