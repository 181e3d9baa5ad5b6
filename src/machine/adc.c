/*
 * machine_adc (machine_adc.h) for every port: the input chosen and checked
 * here (the chip's ADC pins and channels, rp2_pinmap.h), the 12-bit
 * results scaled to 16 bits here, the conversions done by the port's
 * backend (machine_backend.h).
 */
#include <errno.h>

#include "../drivers/rp2/rp2_dividers.h"
#include "../drivers/rp2/rp2_pinmap.h"
#include "machine_backend.h"

_Static_assert(MACHINE_ADC_TEMPERATURE == MACHINE_ADC_CHANNEL(RP2_ADC_CHANNELS - 1u),
               "the temperature sensor is the ADC's last channel");

int machine_adc_init(machine_adc_t *adc, unsigned source) {
    unsigned channel;
    if (source >= RP2_ADC_FIRST_GPIO && source < RP2_ADC_FIRST_GPIO + RP2_ADC_GPIO_CHANNELS)
        channel = source - RP2_ADC_FIRST_GPIO;
    else if ((source & ~0xffu) == MACHINE_ADC_CHANNEL(0) && (source & 0xffu) < RP2_ADC_CHANNELS)
        channel = source & 0xffu;
    else
        return -EINVAL;
    if (!adc) return -EINVAL;
    machine_adc_t set = {(uint8_t)channel};
    int err = machine_adc_backend_init(&set);
    if (err) return err;
    *adc = set;
    return 0;
}

unsigned machine_adc_channel(const machine_adc_t *adc) { return adc ? adc->channel : 0; }

/* MicroPython's scaling: 0 -> 0, 4095 -> 65535. */
static uint16_t scale_u16(uint32_t raw) {
    raw &= 0xfffu;
    return (uint16_t)(raw << 4 | raw >> 8);
}

int machine_adc_read_u16(machine_adc_t *adc) {
    if (!adc || adc->channel >= RP2_ADC_CHANNELS) return -EINVAL;
    int raw = machine_adc_backend_read(adc);
    return raw < 0 ? raw : scale_u16((uint32_t)raw);
}

int machine_adc_read_timed(machine_adc_t *adc, uint16_t *buf, size_t n, uint32_t rate_hz) {
    if (!adc || adc->channel >= RP2_ADC_CHANNELS || !buf || n == 0 || rate_hz == 0 ||
        rate_hz > MACHINE_ADC_READ_TIMED_MAX_HZ)
        return -EINVAL;
    int err = machine_adc_backend_read_timed(adc, buf, n, rp2_adc_div256(rate_hz));
    if (err) return err;
    for (size_t i = 0; i < n; i++) buf[i] = scale_u16(buf[i]);
    return (int)n;
}
