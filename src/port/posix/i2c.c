/*
 * machine_i2c's backend on the host (src/machine/machine_backend.h; the
 * calls and their checks are src/machine/i2c.c): transfers reach the devices
 * a test or program attached (machine_sim.h), byte by byte as the bus would
 * carry them, and then take their bus time in the loop's clock (9 bit times
 * a byte, one for each START and STOP). The bus is one lock per controller.
 */
#include <errno.h>
#include <string.h>

#include "../../../include/asyncio.h"
#include "../../../include/machine_sim.h"
#include "../../machine/machine_backend.h"
#include "sim.h"

#define I2C_ADDRESSES 128u
#define RECOVERY_BITS 10u /* nine clocks and a STOP */

struct sim_i2c_bus {
    asyncio_lock_t lock;
    const machine_i2c_sim_device_t *devices[I2C_ADDRESSES];
    bool held;
    unsigned recoveries;
};

static struct sim_i2c_bus buses[MACHINE_I2C_COUNT] = {{.lock = ASYNCIO_LOCK_INIT},
                                                      {.lock = ASYNCIO_LOCK_INIT}};

int machine_i2c_backend_init(const machine_i2c_t *i2c) {
    (void)i2c; /* nothing to set up: the devices answer at any frequency */
    return 0;
}

/* ---- one transfer on the simulated wires ------------------------------------ */

static bool dev_start(const machine_i2c_sim_device_t *d, bool read) {
    return d && (!d->start || d->start(d->ctx, read));
}

static void dev_stop(const machine_i2c_sim_device_t *d) {
    if (d && d->stop) d->stop(d->ctx);
}

/* Carries the request to the device, counting bit times in *bits. Returns
 * the transfer's result. */
static int i2c_exchange(const machine_i2c_sim_device_t *d, const machine_i2c_request_t *rq,
                        uint64_t *bits) {
    bool writes = rq->pn + rq->wn > 0 || rq->rn == 0;
    *bits = 2; /* START and STOP */
    if (writes) {
        *bits += 9;
        if (!dev_start(d, false)) return -ENXIO;
        for (uint32_t i = 0; i < rq->pn + rq->wn; i++) {
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
        for (uint32_t i = 0; i < rq->rn; i++) {
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

int machine_i2c_backend_transfer(const machine_i2c_t *i2c, const machine_i2c_request_t *rq) {
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
    return result;
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
