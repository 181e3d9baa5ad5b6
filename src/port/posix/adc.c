/*
 * machine_adc's backend on the host (src/machine/machine_backend.h; the
 * calls, their checks and the scaling are src/machine/adc.c): each channel
 * converts a value a test or program set (machine_sim.h), fixed or a
 * function of the loop's time. A conversion takes 2 us of the loop's clock;
 * read_timed takes n sample intervals of the RP2040's divider, the samples
 * taken at their times.
 */
#include <errno.h>
#include <string.h>

#include "../../../include/asyncio.h"
#include "../../../include/machine_sim.h"
#include "../../drivers/rp2/rp2_dividers.h"
#include "../../drivers/rp2/rp2_pinmap.h"
#include "../../machine/machine_backend.h"
#include "sim.h"

#define CONVERSION_US 2u

struct sim_adc_channel {
    uint16_t raw;
    machine_adc_sim_fn fn;
    void *ctx;
};

static struct sim_adc_channel channels[RP2_ADC_CHANNELS];
static asyncio_lock_t adc_lock = ASYNCIO_LOCK_INIT;

int machine_adc_backend_init(const machine_adc_t *adc) {
    (void)adc; /* every channel is ready */
    return 0;
}

/* The channel's 12-bit value at `time_us`. */
static uint16_t sample(unsigned channel, uint64_t time_us) {
    const struct sim_adc_channel *c = &channels[channel];
    return (uint16_t)((c->fn ? c->fn(c->ctx, channel, time_us) : c->raw) & 0xfffu);
}

int machine_adc_backend_read(const machine_adc_t *adc) {
    int err = asyncio_lock_acquire(&adc_lock);
    if (err) return err;
    err = asyncio_sleep_us(CONVERSION_US);
    int value = err ? err : sample(adc->channel, sim_time());
    asyncio_lock_release(&adc_lock);
    return value;
}

int machine_adc_backend_read_timed(const machine_adc_t *adc, uint16_t *buf, size_t n,
                                   uint32_t div256) {
    int err = asyncio_lock_acquire(&adc_lock);
    if (err) return err;
    uint64_t interval_ns = rp2_adc_interval_ns(div256);
    uint64_t start_ns = sim_time() * 1000u;
    /* Sample i is in 2 us after it starts, at i intervals. */
    for (size_t i = 0; i < n && !err; i++) {
        uint64_t done_us = (start_ns + i * interval_ns) / 1000u + CONVERSION_US;
        err = asyncio_sleep_until_us(done_us);
        if (!err) buf[i] = sample(adc->channel, done_us);
    }
    asyncio_lock_release(&adc_lock);
    return err;
}

int machine_adc_sim_set_raw(unsigned channel, uint16_t raw12) {
    if (channel >= RP2_ADC_CHANNELS || raw12 > 0xfffu) return -EINVAL;
    channels[channel].raw = raw12;
    return 0;
}

int machine_adc_sim_source(unsigned channel, machine_adc_sim_fn fn, void *ctx) {
    if (channel >= RP2_ADC_CHANNELS) return -EINVAL;
    channels[channel].fn = fn;
    channels[channel].ctx = ctx;
    return 0;
}

void sim_adc_reset(void) { memset(channels, 0, sizeof channels); }
