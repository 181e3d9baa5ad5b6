/* ADC and PWM on the host: conversions of simulated values, timed sampling
 * at the divider's rate, and PWM state as the RP2040's registers would hold
 * it, in the VCD trace too. */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asyncio.h"
#include "check.h"
#include "machine.h"
#include "machine_sim.h"

static void test_adc_sources(void) {
    machine_adc_t a;
    CHECK_EQ(machine_adc_init(&a, 26), 0);
    CHECK_EQ(machine_adc_channel(&a), 0);
    CHECK_EQ(machine_adc_init(&a, 29), 0);
    CHECK_EQ(machine_adc_channel(&a), 3);
    CHECK_EQ(machine_adc_init(&a, MACHINE_ADC_TEMPERATURE), 0);
    CHECK_EQ(machine_adc_channel(&a), 4);
    CHECK_EQ(machine_adc_init(&a, MACHINE_ADC_CHANNEL(1)), 0);
    CHECK_EQ(machine_adc_channel(&a), 1);
    CHECK_EQ(machine_adc_init(&a, 25), -EINVAL);
    CHECK_EQ(machine_adc_init(&a, MACHINE_ADC_CHANNEL(5)), -EINVAL);
    CHECK_EQ(machine_adc_sim_set_raw(0, 4096), -EINVAL);
    CHECK_EQ(machine_adc_sim_set_raw(5, 0), -EINVAL);
}

static machine_adc_t pot, temp;

static int read_two(void *arg) {
    int *out = arg;
    uint64_t t0 = asyncio_ticks_us();
    out[0] = machine_adc_read_u16(&pot);
    out[1] = machine_adc_read_u16(&temp);
    out[2] = (int)(asyncio_ticks_us() - t0);
    return 0;
}

static void test_read_u16_scales_12_bits(void) {
    machine_sim_reset();
    machine_adc_init(&pot, 27);
    machine_adc_init(&temp, MACHINE_ADC_TEMPERATURE);
    machine_adc_sim_set_raw(1, 0xfff);
    machine_adc_sim_set_raw(4, 0x36c); /* 0.706 V: 27 degrees C */
    int out[3];
    CHECK_EQ(run_virtual(read_two, out), 0);
    CHECK_EQ(out[0], 65535);
    CHECK_EQ(out[1], 0x36c << 4 | 0x3);
    CHECK_EQ(out[2], 4); /* two conversions of 2 us */
    CHECK_EQ(machine_adc_read_u16(&pot), -EPERM);
}

/* A ramp: the value is the sample's time in us, 12 bits. */
static uint16_t ramp(void *ctx, unsigned channel, uint64_t time_us) {
    (void)ctx;
    (void)channel;
    return (uint16_t)(time_us & 0xfff);
}

static int sample_ramp(void *arg) {
    uint16_t *buf = arg;
    asyncio_sleep_ms(1); /* start at 1000 us */
    return machine_adc_read_timed(&pot, buf, 8, 10000);
}

static void test_read_timed_samples_at_the_rate(void) {
    machine_sim_reset();
    machine_adc_init(&pot, 26);
    machine_adc_sim_source(0, ramp, NULL);
    uint16_t buf[8];
    CHECK_EQ(run_virtual(sample_ramp, buf), 8);
    for (unsigned i = 0; i < 8; i++) {
        uint16_t raw = (uint16_t)(1000 + 100 * i + 2); /* every 100 us, each in after 2 us */
        CHECK_EQ(buf[i], (uint16_t)(raw << 4 | raw >> 8));
    }
}

static int bad_timed(void *arg) {
    uint16_t *buf = arg;
    if (machine_adc_read_timed(&pot, buf, 4, 0) != -EINVAL) return 1;
    if (machine_adc_read_timed(&pot, buf, 4, MACHINE_ADC_READ_TIMED_MAX_HZ + 1) != -EINVAL)
        return 2;
    if (machine_adc_read_timed(&pot, buf, 0, 1000) != -EINVAL) return 3;
    if (machine_adc_read_timed(&pot, NULL, 4, 1000) != -EINVAL) return 4;
    return 0;
}

static int cancelled_sampling(void *arg) {
    uint16_t *buf = arg;
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 5);
    int r = machine_adc_read_timed(&pot, buf, 100, 1000); /* 100 ms of samples */
    asyncio_timeout_exit(&scope);
    if (r != -ETIMEDOUT) return -EPROTO;
    return machine_adc_read_u16(&pot); /* the ADC is free again */
}

static void test_read_timed_errors(void) {
    machine_sim_reset();
    machine_adc_init(&pot, 26);
    machine_adc_sim_set_raw(0, 0x800);
    uint16_t buf[100];
    CHECK_EQ(run_virtual(bad_timed, buf), 0);
    CHECK_EQ(run_virtual(cancelled_sampling, buf), 0x8008);
}

static void test_pwm_frequency_and_duty(void) {
    machine_sim_reset();
    machine_pwm_t led, other;
    CHECK_EQ(machine_pwm_init(&led, 25, 1000, 32768), 0);
    /* 1 kHz at 125 MHz: divider 31/16 (a count every 15.5 ns), 64516 counts */
    CHECK_EQ(machine_pwm_get_freq(&led), 1000);
    CHECK_EQ(machine_pwm_sim_freq(25), 1000);
    CHECK_EQ(machine_pwm_get_duty_u16(&led), 32768);
    uint32_t high_ns = machine_pwm_get_duty_ns(&led); /* half the period, to one count */
    CHECK(high_ns >= 500000 - 16 && high_ns <= 500000 + 16);
    machine_pwm_duty_ns(&led, 250000);
    CHECK_EQ(machine_pwm_get_duty_u16(&led), 16384);
    CHECK_EQ(machine_pwm_get_duty_ns(&led), 250000);
    machine_pwm_duty_u16(&led, 65535);
    CHECK_EQ(machine_pwm_sim_duty_u16(25), 65535);
    machine_pwm_duty_u16(&led, 0);
    CHECK_EQ(machine_pwm_sim_duty_u16(25), 0);
    /* GPIO 24 is channel A of the same slice (4): a new frequency is shared,
     * and each channel keeps its duty as a fraction. */
    CHECK_EQ(machine_pwm_init(&other, 24, 1000, 16384), 0);
    machine_pwm_duty_u16(&led, 49152);
    CHECK_EQ(machine_pwm_freq(&other, 50), 0);
    CHECK_EQ(machine_pwm_get_freq(&led), 50);
    CHECK_EQ(machine_pwm_sim_duty_u16(24), 16384);
    CHECK_EQ(machine_pwm_sim_duty_u16(25), 49152);
    CHECK_EQ(machine_pwm_freq(&led, 7), -EINVAL);
    CHECK_EQ(machine_pwm_freq(&led, 62500001), -EINVAL);
    CHECK_EQ(machine_pwm_init(&led, 30, 1000, 0), -EINVAL);
    CHECK_EQ(machine_pwm_init(&led, 2, 8, 0), 0);
    CHECK_EQ(machine_pwm_get_freq(&led), 8);
    CHECK_EQ(machine_pwm_init(&led, 2, 62500000, 32768), 0);
    CHECK_EQ(machine_pwm_get_freq(&led), 62500000);
    machine_pwm_deinit(&other);
    CHECK(!machine_pwm_sim_enabled(24));
    CHECK(machine_pwm_sim_enabled(25));
}

static char vcd_path[64];

static void test_pwm_in_vcd(void) {
    FILE *f = fopen(vcd_path, "r");
    CHECK(f != NULL);
    if (!f) return;
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    CHECK(strstr(text, "$var wire 32 F4 pwm4_freq $end") != NULL);
    CHECK(strstr(text, "$var wire 16 P4b pwm4b_duty $end") != NULL);
    CHECK(strstr(text, "b00000000000000000000001111101000 F4\n") != NULL); /* 1000 Hz */
    CHECK(strstr(text, "b1000000000000000 P4b\n") != NULL);                /* 32768 */
}

int main(void) {
    snprintf(vcd_path, sizeof vcd_path, "/tmp/casyncio-adcpwm-%d.vcd", (int)getpid());
    setenv("ASYNCIO_VCD", vcd_path, 1);
    RUN(test_adc_sources);
    RUN(test_read_u16_scales_12_bits);
    RUN(test_read_timed_samples_at_the_rate);
    RUN(test_read_timed_errors);
    RUN(test_pwm_frequency_and_duty);
    RUN(test_pwm_in_vcd);
    machine_sim_reset();
    unlink(vcd_path);
    return check_summary();
}
