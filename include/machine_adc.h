/*
 * Analog inputs, as MicroPython's machine.ADC, awaitable.
 *
 * The RP2040's ADC has five inputs: GPIO 26..29 (channels 0..3) and the
 * on-chip temperature sensor (channel 4); so has the RP2350A's. The RP2350B
 * (48 GPIOs) has nine: GPIO 40..47 (channels 0..7) and the sensor (8). A conversion takes 2 us; the
 * calling task suspends until its result is in, and other tasks run.
 * machine_adc_read_timed() samples at a steady rate into a buffer (the ADC's
 * free-running mode and FIFO, emptied by DMA on the RP2040) and suspends
 * until the buffer is full.
 *
 * One ADC serves every channel: conversions of different tasks are served
 * one at a time, in the order they asked (a lock inside the driver).
 *
 * Values are scaled to 16 bits as MicroPython does: the 12-bit result r
 * becomes r << 4 | r >> 8 (0 -> 0, 4095 -> 65535).
 */
#ifndef MACHINE_ADC_H
#define MACHINE_ADC_H

#include <stddef.h>
#include <stdint.h>

#include "asyncio_port_config.h" /* MACHINE_ADC_TEMPERATURE_CHANNEL, where the chip differs */

#ifdef __cplusplus
extern "C" {
#endif

/* A channel by number rather than by GPIO; the temperature sensor (the
 * ADC's last channel: 4, or 8 on the RP2350B). */
#if !defined(MACHINE_ADC_TEMPERATURE_CHANNEL)
#define MACHINE_ADC_TEMPERATURE_CHANNEL 4u
#endif
#define MACHINE_ADC_CHANNEL(n)        (0x100u | (n))
#define MACHINE_ADC_TEMPERATURE       MACHINE_ADC_CHANNEL(MACHINE_ADC_TEMPERATURE_CHANNEL)
#define MACHINE_ADC_READ_TIMED_MAX_HZ 500000u /* one conversion every 96 ADC clocks */

/* One input. Caller storage; fields private. */
typedef struct machine_adc {
    uint8_t channel; /* private: 0..4 (0..8) */
} machine_adc_t;

/* Selects the input: a GPIO 26..29 (40..47 on the RP2350B; its digital
 * input is turned off, as an analog pin needs), or MACHINE_ADC_CHANNEL(0..4)
 * (0..8 on the RP2350B) / MACHINE_ADC_TEMPERATURE
 * (the sensor is powered on). Does not suspend. Returns 0, -EINVAL, or
 * -EBUSY when the first call finds no free DMA channel (pico-sdk: all
 * claimed by the program). */
int machine_adc_init(machine_adc_t *adc, unsigned source);

/* The ADC channel (0..4, 0..8 on the RP2350B) of an initialised input. */
unsigned machine_adc_channel(const machine_adc_t *adc);

/* One conversion. Suspends until it is done. Returns the value (0..65535),
 * or -EPERM / -ECANCELED / -ETIMEDOUT. */
int machine_adc_read_u16(machine_adc_t *adc);

/* Converts n values at rate_hz (1 .. MACHINE_ADC_READ_TIMED_MAX_HZ; the
 * ADC's divider sets the rate to within 1/256 of a 48 MHz clock cycle) into
 * buf, the first at once. Suspends until the n-th is in. Returns n, -EINVAL
 * (rate, n == 0, NULL), or -EPERM / -ECANCELED / -ETIMEDOUT (sampling is
 * stopped; buf holds an unspecified part of the values). */
int machine_adc_read_timed(machine_adc_t *adc, uint16_t *buf, size_t n, uint32_t rate_hz);

#ifdef __cplusplus
}
#endif
#endif
