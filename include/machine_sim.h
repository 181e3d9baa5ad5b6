/*
 * The host's simulated peripherals (POSIX port only): what a test or a
 * program registers so that the I2C, SPI, ADC and PWM calls of machine.h
 * have something to talk to. Firmware never includes this header.
 *
 * Simulated transfers take their bus time in the loop's clock (virtual time
 * in tests): an I2C byte 9 bit times, an SPI byte 8, an ADC conversion 2 us.
 * Callbacks run in the calling task's context while the driver holds the
 * bus; they must not suspend.
 *
 * Pins are simulated in machine.h itself (machine_pin_sim_*).
 */
#ifndef MACHINE_SIM_H
#define MACHINE_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- I2C ----------------------------------------------------------------- */

/* A device on a simulated bus, described by callbacks (any may be NULL:
 * start acknowledges, write acknowledges, read returns 0xff, stop does
 * nothing). The record is the caller's and must outlive the attachment. */
typedef struct machine_i2c_sim_device {
    /* START or repeated START addressed to the device; `read` is the
     * direction bit. Return true to acknowledge the address. */
    bool (*start)(void *ctx, bool read);
    /* A byte written by the controller. Return true to acknowledge it. */
    bool (*write)(void *ctx, uint8_t byte);
    /* The next byte the device sends. */
    uint8_t (*read)(void *ctx);
    /* STOP (also after a NAK or an aborted transfer). */
    void (*stop)(void *ctx);
    void *ctx;
} machine_i2c_sim_device_t;

/* Attaches `dev` at 7-bit `addr` of bus `bus`. Returns 0, -EINVAL (bad bus or
 * addr, NULL), or -EADDRINUSE. */
int machine_i2c_sim_attach(unsigned bus, uint16_t addr, const machine_i2c_sim_device_t *dev);
/* Detaches whatever is at addr (0, or -ENOENT). */
int machine_i2c_sim_detach(unsigned bus, uint16_t addr);

/* The commonest device: a register map. Each write's first `addr_bytes`
 * bytes (1 or 2, most significant first) set the register pointer, the
 * following bytes are stored from it on; reads return bytes from it on; the
 * pointer advances after each byte and wraps at `size`. Fill in mem, size
 * and addr_bytes; the rest is private. */
typedef struct machine_i2c_sim_regs {
    uint8_t *mem;
    size_t size;
    uint8_t addr_bytes;
    size_t pointer;               /* private */
    uint8_t addr_seen;            /* private: address bytes of this write so far */
    machine_i2c_sim_device_t dev; /* private */
} machine_i2c_sim_regs_t;
/* Attaches a register map at addr. Returns 0, -EINVAL, or -EADDRINUSE. */
int machine_i2c_sim_attach_regs(unsigned bus, uint16_t addr, machine_i2c_sim_regs_t *regs);

/* A device holding SDA low (held = true) until released: every transfer on
 * the bus then stalls for its timeout and fails with -EIO after the
 * recovery. */
void machine_i2c_sim_hold_bus(unsigned bus, bool held);
/* How many times the bus was recovered (nine clocks and a STOP). */
unsigned machine_i2c_sim_recoveries(unsigned bus);

/* ---- SPI ----------------------------------------------------------------- */

/* The device on a simulated bus: called for each byte clocked, with the
 * byte on MOSI; returns the byte it puts on MISO. Chip select is a pin the
 * callback may read with machine_pin_value(). NULL detaches (MISO then
 * reads 0xff). Returns 0 or -EINVAL. */
typedef uint8_t (*machine_spi_sim_fn)(void *ctx, uint8_t mosi);
int machine_spi_sim_attach(unsigned bus, machine_spi_sim_fn fn, void *ctx);

/* ---- ADC ----------------------------------------------------------------- */

/* What a channel (0..4) converts: a fixed 12-bit value (0..4095)... */
int machine_adc_sim_set_raw(unsigned channel, uint16_t raw12);
/* ...or a function of the loop's time (us) at the sample, returning 12 bits
 * (higher bits ignored). NULL goes back to the fixed value. 0 or -EINVAL. */
typedef uint16_t (*machine_adc_sim_fn)(void *ctx, unsigned channel, uint64_t time_us);
int machine_adc_sim_source(unsigned channel, machine_adc_sim_fn fn, void *ctx);

/* ---- PWM ----------------------------------------------------------------- */

/* The PWM state of a pin's channel: whether it is running, its slice's
 * frequency (Hz, rounded) and its duty (u16 scale, as the counter has it).
 * Every change is also written to the VCD trace (ASYNCIO_VCD) as the
 * variables pwm<slice><a|b>_duty and pwm<slice>_freq. */
bool machine_pwm_sim_enabled(unsigned gpio);
uint32_t machine_pwm_sim_freq(unsigned gpio);
uint16_t machine_pwm_sim_duty_u16(unsigned gpio);

/* ---- all ----------------------------------------------------------------- */

/* Forgets every simulated device, ADC value and PWM state, and the pins'
 * (machine_pin_sim_reset), between tests. */
void machine_sim_reset(void);

#ifdef __cplusplus
}
#endif
#endif
