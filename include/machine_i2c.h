/*
 * I2C controller, as MicroPython's machine.I2C, awaitable.
 *
 * Every transfer suspends the calling task until the bus has moved the
 * bytes: on the RP2040 the controller's interrupt feeds its FIFOs and the CPU
 * sleeps meanwhile; on the host the transfer reaches simulated devices
 * (machine_sim.h) and takes its bus time in the loop's clock.
 *
 * A bus (I2C0 or I2C1) is shared: any number of handles may name it, and the
 * transfers of different tasks are served one after the other in the order
 * they asked (a lock inside the driver), never interleaved.
 *
 * Errors (negative errno):
 *   -EINVAL     bad id, pins, frequency, address, length or NULL buffer
 *   -ENXIO      no device acknowledged the address
 *   -EIO        a data byte was not acknowledged, arbitration was lost, or
 *               the bus stayed stuck (a device holding SDA/SCL): the
 *               controller is reset and the bus recovered (nine SCL clocks
 *               and a STOP) before the call returns
 *   -ECANCELED / -ETIMEDOUT  the task was cancelled / its timeout scope
 *               expired: the transfer is aborted (STOP sent, FIFOs flushed)
 *               and the next transfer on the bus works
 *   -EPERM      called outside a task
 * A transfer that fails may have been partly seen by the device.
 */
#ifndef MACHINE_I2C_H
#define MACHINE_I2C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MACHINE_I2C_COUNT 2u /* I2C0, I2C1 */

/* A handle on one bus. Caller storage; fields private. */
typedef struct machine_i2c {
    uint8_t id;          /* private */
    uint8_t scl, sda;    /* private */
    uint32_t freq;       /* private: bus clock, Hz */
    uint32_t timeout_us; /* private: longest a transfer may stall */
} machine_i2c_t;

/* Configures bus `id` (0 or 1) on the pins given, at `freq` Hz (1,000 to
 * 1,000,000: standard mode 100 kHz, fast mode 400 kHz, fast mode plus
 * 1 MHz). The pins must be ones the bus can use, as on the RP2040: SDA on a
 * GPIO with gpio % 4 == 0 (I2C0) or 2 (I2C1), SCL on the GPIO after it;
 * their pull-ups are enabled. Does not suspend. Returns 0 or -EINVAL.
 * Configuring a bus again (other pins, other frequency) is allowed between
 * transfers. */
int machine_i2c_init(machine_i2c_t *i2c, unsigned id, unsigned scl, unsigned sda, uint32_t freq);

/* The longest a transfer may go without progress (a device stretching the
 * clock, a bus held low) before it is abandoned with -EIO and the bus
 * recovered; default 50 ms. */
void machine_i2c_set_timeout_us(machine_i2c_t *i2c, uint32_t timeout_us);

/* START, address `addr` (7-bit, 0x08..0x77 are the usual devices; 0..0x7f
 * accepted) for writing, the n bytes of buf, STOP. n may be 0: an address
 * probe (the RP2040's controller cannot send an empty write, so there the
 * probe reads one byte instead). Suspends. Returns n or a negative errno
 * (see the file comment). */
int machine_i2c_writeto(machine_i2c_t *i2c, uint16_t addr, const void *buf, size_t n);

/* START, address for reading, n bytes into buf (each acknowledged but the
 * last), STOP. n >= 1. Suspends. Returns n or a negative errno. */
int machine_i2c_readfrom(machine_i2c_t *i2c, uint16_t addr, void *buf, size_t n);

/* START, write wn bytes, repeated START (no STOP between), read rn bytes,
 * STOP: the usual "set the register pointer, then read" of sensors, with the
 * bus held throughout. wn >= 1, rn >= 1. Suspends. Returns rn or a negative
 * errno. */
int machine_i2c_writeto_then_readfrom(machine_i2c_t *i2c, uint16_t addr, const void *wbuf,
                                      size_t wn, void *rbuf, size_t rn);

/* Register access, as MicroPython's writeto_mem/readfrom_mem: the register
 * address `memaddr` goes first, most significant byte first, in `addrsize`
 * bits (8 or 16). writeto_mem sends address and data in one write;
 * readfrom_mem writes the address and reads n bytes after a repeated START.
 * Suspend. Return n or a negative errno (-EINVAL for another addrsize). */
int machine_i2c_writeto_mem(machine_i2c_t *i2c, uint16_t addr, uint16_t memaddr, unsigned addrsize,
                            const void *buf, size_t n);
int machine_i2c_readfrom_mem(machine_i2c_t *i2c, uint16_t addr, uint16_t memaddr, unsigned addrsize,
                             void *buf, size_t n);

/* Probes every address 0x08..0x77 with an empty write and stores those that
 * acknowledge, in increasing order, in found[0..max). Suspends. Returns the
 * number of devices that answered (which may exceed max: only max are
 * stored), or a negative errno. */
int machine_i2c_scan(machine_i2c_t *i2c, uint8_t *found, size_t max);

#ifdef __cplusplus
}
#endif
#endif
