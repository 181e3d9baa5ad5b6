/*
 * machine_adc on the host: each channel converts a value a test or program
 * set (machine_sim.h), fixed or a function of the loop's time. A conversion
 * takes 2 us of the loop's clock; read_timed takes n sample intervals of the
 * RP2040's divider, the samples taken at their times.
 */
#include <errno.h>
#include <string.h>

#include "../../../include/asyncio.h"
#include "../../../include/machine_sim.h"
#include "../../drivers/rp2/rp2_dividers.h"
#include "../../drivers/rp2/rp2_pinmap.h"
#include "sim.h"

#define CONVERSION_US 2u

struct sim_adc_channel {
    uint16_t raw;
    machine_adc_sim_fn fn;
    void *ctx;
};

static struct sim_adc_channel channels[RP2_ADC_CHANNELS];
static asyncio_lock_t adc_lock = ASYNCIO_LOCK_INIT;

int machine_adc_init(machine_adc_t *adc, unsigned source) {
    unsigned channel;
    if (source >= RP2_ADC_FIRST_GPIO && source < RP2_ADC_FIRST_GPIO + 4u)
        channel = source - RP2_ADC_FIRST_GPIO;
    else if ((source & ~0xffu) == MACHINE_ADC_CHANNEL(0) && (source & 0xffu) < RP2_ADC_CHANNELS)
        channel = source & 0xffu;
    else
        return -EINVAL;
    if (!adc) return -EINVAL;
    adc->channel = (uint8_t)channel;
    return 0;
}

unsigned machine_adc_channel(const machine_adc_t *adc) { return adc ? adc->channel : 0; }

static uint16_t scale_u16(uint16_t raw) {
    raw &= 0xfffu;
    return (uint16_t)(raw << 4 | raw >> 8);
}

static uint16_t sample(unsigned channel, uint64_t time_us) {
    const struct sim_adc_channel *c = &channels[channel];
    return scale_u16(c->fn ? c->fn(c->ctx, channel, time_us) : c->raw);
}

int machine_adc_read_u16(machine_adc_t *adc) {
    if (!adc || adc->channel >= RP2_ADC_CHANNELS) return -EINVAL;
    int err = asyncio_lock_acquire(&adc_lock);
    if (err) return err;
    err = asyncio_sleep_us(CONVERSION_US);
    int value = err ? err : sample(adc->channel, sim_time());
    asyncio_lock_release(&adc_lock);
    return value;
}

int machine_adc_read_timed(machine_adc_t *adc, uint16_t *buf, size_t n, uint32_t rate_hz) {
    if (!adc || adc->channel >= RP2_ADC_CHANNELS || !buf || n == 0 || rate_hz == 0 ||
        rate_hz > MACHINE_ADC_READ_TIMED_MAX_HZ)
        return -EINVAL;
    int err = asyncio_lock_acquire(&adc_lock);
    if (err) return err;
    uint64_t interval_ns = rp2_adc_interval_ns(rp2_adc_div256(rate_hz));
    uint64_t start_ns = sim_time() * 1000u;
    /* Sample i is in 2 us after it starts, at i intervals. */
    for (size_t i = 0; i < n && !err; i++) {
        uint64_t done_us = (start_ns + i * interval_ns) / 1000u + CONVERSION_US;
        err = asyncio_sleep_until_us(done_us);
        if (!err) buf[i] = sample(adc->channel, done_us);
    }
    asyncio_lock_release(&adc_lock);
    return err ? err : (int)n;
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
