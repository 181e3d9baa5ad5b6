/*
 * What the portable machine_i2c/spi/adc/pwm calls (src/machine/i2c.c ...)
 * ask of a port: the work itself, on arguments already checked. The
 * portable layer refuses bad input (-EINVAL) against the RP2 pin map and
 * dividers (src/drivers/rp2/rp2_pinmap.h, rp2_dividers.h), fills the
 * caller's handle, and only then calls its port. Implemented by the RP2
 * drivers (src/drivers/rp2/i2c.c ...) and by the host's simulated
 * peripherals (src/port/posix/i2c.c ...). Not a public API.
 */
#ifndef CASYNCIO_MACHINE_BACKEND_H
#define CASYNCIO_MACHINE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "../../include/machine_adc.h"
#include "../../include/machine_i2c.h"
#include "../../include/machine_pwm.h"
#include "../../include/machine_spi.h"

/* ---- I2C ----------------------------------------------------------------- */

/* One transfer: write the pn bytes of pre (a register address) and the wn
 * bytes of wbuf, then (after a repeated START when both) read rn bytes into
 * rbuf. All zero: an address probe. */
typedef struct machine_i2c_request {
    uint16_t addr;
    uint8_t pre[2];
    uint32_t pn;
    const uint8_t *wbuf;
    uint32_t wn;
    uint8_t *rbuf;
    uint32_t rn;
} machine_i2c_request_t;

/* Sets bus i2c->id up for the handle just filled in (pins, frequency).
 * Does not suspend. 0 or a negative errno. */
int machine_i2c_backend_init(const machine_i2c_t *i2c);

/* Carries out `rq` on the handle's bus, the bus taken in turn. Suspends.
 * 0, or a negative errno (machine_i2c.h). */
int machine_i2c_backend_transfer(const machine_i2c_t *i2c, const machine_i2c_request_t *rq);

/* ---- SPI ----------------------------------------------------------------- */

/* Sets bus spi->id up for the handle filled in, with the divider the
 * portable layer chose (clk_peri / (prescale * (scr + 1))); may set
 * spi->hw. Does not suspend. 0, or -EBUSY (no DMA channels). */
int machine_spi_backend_init(machine_spi_t *spi, uint32_t prescale, uint32_t scr);

/* n > 0 bytes: tx[i] (or `fill` where tx is NULL) out, what comes back
 * into rx[i] (dropped where rx is NULL). Suspends. n, or a negative errno. */
int machine_spi_backend_transfer(const machine_spi_t *spi, const uint8_t *tx, uint8_t fill,
                                 uint8_t *rx, size_t n);

/* ---- ADC ----------------------------------------------------------------- */

/* Readies the ADC and adc->channel's input (an analog pin's pad).
 * Does not suspend. 0, or -EBUSY (no DMA channel). */
int machine_adc_backend_init(const machine_adc_t *adc);

/* One conversion: its 12-bit result, or a negative errno. Suspends. */
int machine_adc_backend_read(const machine_adc_t *adc);

/* n >= 1 conversions at the ADC divider `div256` (rp2_adc_div256) into
 * buf, 12-bit. Suspends. 0, or a negative errno. */
int machine_adc_backend_read_timed(const machine_adc_t *adc, uint16_t *buf, size_t n,
                                   uint32_t div256);

/* ---- PWM ----------------------------------------------------------------- */
/* The slice of `gpio` (rp2_pwm_slice) and its channel's compare level, as the
 * hardware (or the simulation) holds them. None of these suspends. */

/* The slice's divider (8.4 fixed point) and wrap value; top 0: never set. */
void machine_pwm_backend_slice(unsigned gpio, uint32_t *div16, uint32_t *top);
void machine_pwm_backend_set_slice(unsigned gpio, uint32_t div16, uint32_t top);
uint32_t machine_pwm_backend_level(unsigned gpio);
void machine_pwm_backend_set_level(unsigned gpio, uint32_t level);

/* The channel drives its pin (slice running, pin routed), or no longer
 * does (pin back to no function). */
void machine_pwm_backend_enable(unsigned gpio);
void machine_pwm_backend_disable(unsigned gpio);

/* Called once after each change the portable layer made to `gpio`'s
 * slice (the host writes its trace). */
void machine_pwm_backend_changed(unsigned gpio);

#endif
