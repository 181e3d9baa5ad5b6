/*
 * The RP2040's clock dividers for SPI, the UART, PWM and the ADC, as arithmetic only
 * (no registers): shared by the RP2040 drivers and by the host's simulation,
 * so that a program asking for a rate gets the same one on both.
 *
 * Clocks as the RP2040 port sets them up: clk_sys = clk_peri = 125 MHz,
 * clk_adc = 48 MHz (USB PLL); a port with other clocks defines these in its
 * asyncio_port_config.h (the pico-sdk port reads them from the SDK).
 */
#ifndef CASYNCIO_RP2_DIVIDERS_H
#define CASYNCIO_RP2_DIVIDERS_H

#include <stdint.h>

#include "asyncio_port_config.h" /* a port's own clocks */

#if !defined(RP2_CLK_SYS_HZ)
#define RP2_CLK_SYS_HZ 125000000u
#endif
#if !defined(RP2_CLK_PERI_HZ)
#define RP2_CLK_PERI_HZ 125000000u
#endif
#if !defined(RP2_CLK_ADC_HZ)
#define RP2_CLK_ADC_HZ 48000000u
#endif

/* SPI (PL022): rate = clk_peri / (prescale * (1 + scr)), prescale even
 * 2..254, scr 0..255. The highest rate not above `baud`: 0 with *prescale
 * and *scr set, or -1 when even the slowest rate is above it. */
static inline int rp2_spi_divider(uint32_t baud, uint32_t *prescale, uint32_t *scr) {
    if (baud == 0) return -1;
    if (baud >= RP2_CLK_PERI_HZ / 2u) baud = RP2_CLK_PERI_HZ / 2u; /* the fastest there is */
    for (uint32_t pre = 2; pre <= 254; pre += 2) {
        /* clk / (pre * baud), rounded up (never too fast), in 32 bits */
        uint32_t post = ((RP2_CLK_PERI_HZ + pre - 1u) / pre + baud - 1u) / baud;
        if (post <= 256u) {
            *prescale = pre;
            *scr = post ? post - 1u : 0u;
            return 0;
        }
    }
    return -1;
}

static inline uint32_t rp2_spi_rate(uint32_t prescale, uint32_t scr) {
    return RP2_CLK_PERI_HZ / (prescale * (scr + 1u));
}

/* UART (PL011): clk_peri / (16 * (ibrd + fbrd / 64)). In 1/128ths of that
 * divisor: 8 * clk_peri / baud, rounded to the nearest 1/64th (at 125 MHz
 * and 115200 baud: 8680 -> ibrd 67, fbrd 52: 115,207 baud, +0.006 %). 0
 * with *ibrd, *fbrd set, or -1 outside the PL011's range (ibrd 1..65535,
 * fbrd 0 with 65535). */
static inline int rp2_uart_divisors(uint32_t baud, uint32_t *ibrd, uint32_t *fbrd) {
    if (baud == 0) return -1;
    uint32_t div = 8u * RP2_CLK_PERI_HZ / baud;
    uint32_t i = div >> 7, f = ((div & 0x7fu) + 1u) / 2u;
    if (f == 64u) { /* rounded up into the next integer */
        i++;
        f = 0;
    }
    if (i == 0 || i > 65535u || (i == 65535u && f)) return -1;
    *ibrd = i;
    *fbrd = f;
    return 0;
}

/* PWM: the counter runs at clk_sys / (div16 / 16) (div16 16..4095: 8.4
 * fixed point) and wraps after top + 1 counts. top is kept at 65534 or
 * less, so that the compare level for "always high" (top + 1) fits the
 * 16-bit CC field. The smallest divider, hence the finest duty steps, for
 * `freq` Hz: 0, or -1 when freq is out of reach. */
static inline int rp2_pwm_divider(uint32_t freq, uint32_t *div16, uint32_t *top) {
    if (freq < 8u || freq > RP2_CLK_SYS_HZ / 2u) return -1;
    uint64_t clk16 = (uint64_t)RP2_CLK_SYS_HZ * 16u;
    uint64_t d = (clk16 + (uint64_t)freq * 65535u - 1u) / ((uint64_t)freq * 65535u);
    if (d < 16u) d = 16u;
    if (d > 4095u) return -1;
    uint64_t counts = (clk16 + d * freq / 2u) / (d * freq); /* top + 1, rounded */
    if (counts < 2u) counts = 2u;
    if (counts > 65535u) counts = 65535u;
    *div16 = (uint32_t)d;
    *top = (uint32_t)counts - 1u;
    return 0;
}

static inline uint32_t rp2_pwm_freq(uint32_t div16, uint32_t top) {
    uint64_t den = (uint64_t)div16 * (top + 1u);
    return (uint32_t)(((uint64_t)RP2_CLK_SYS_HZ * 16u + den / 2u) / den);
}

/* Compare level for a u16 duty at a given top: 0 always low, top + 1
 * always high. */
static inline uint32_t rp2_pwm_level(uint16_t duty, uint32_t top) {
    return (uint32_t)(((uint64_t)duty * (top + 1u) + 32767u) / 65535u);
}

static inline uint16_t rp2_pwm_duty_from_level(uint32_t level, uint32_t top) {
    uint64_t d = ((uint64_t)level * 65535u + (top + 1u) / 2u) / (top + 1u);
    return (uint16_t)(d > 65535u ? 65535u : d);
}

/* Compare level for a high time of ns nanoseconds (capped at the period). */
static inline uint32_t rp2_pwm_level_ns(uint32_t ns, uint32_t div16, uint32_t top) {
    uint64_t ticks = ((uint64_t)ns * RP2_CLK_SYS_HZ * 16u / div16 + 500000000u) / 1000000000u;
    return (uint32_t)(ticks > top + 1u ? top + 1u : ticks);
}

static inline uint32_t rp2_pwm_ns_from_level(uint32_t level, uint32_t div16) {
    return (uint32_t)(((uint64_t)level * div16 * 1000000000u / 16u + RP2_CLK_SYS_HZ / 2u) /
                      RP2_CLK_SYS_HZ);
}

/* ADC free-running: a conversion every (1 + div256 / 256) cycles of clk_adc
 * (at least 96). div256 for `rate_hz` (1..500,000), the ADC's DIV
 * register as it is laid out (integer in bits 23:8, fraction in 7:0). */
static inline uint32_t rp2_adc_div256(uint32_t rate_hz) {
    uint64_t cycles256 = ((uint64_t)RP2_CLK_ADC_HZ * 256u + rate_hz / 2u) / rate_hz;
    return cycles256 > 256u ? (uint32_t)cycles256 - 256u : 0u;
}

/* The interval between conversions for that divider, ns. */
static inline uint64_t rp2_adc_interval_ns(uint32_t div256) {
    uint64_t cycles256 = (uint64_t)div256 + 256u;
    if (cycles256 < 96u * 256u) cycles256 = 96u * 256u;
    return cycles256 * 1000000000u / ((uint64_t)RP2_CLK_ADC_HZ * 256u);
}

#endif
