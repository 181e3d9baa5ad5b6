/*
 * ADC and PWM on the RP2040, in the emulator (check_periph.mjs adc_pwm): the
 * check feeds the ADC channels and compares what the firmware prints with
 * what it fed; it reads the PWM registers back against the frequency and
 * duty asked for here.
 */
#include <stdio.h>

#include "asyncio.h"
#include "machine.h"

static machine_adc_t pot, light, temp;
static uint16_t samples[16];

static int run_all(void *arg) {
    (void)arg;
    printf("single %d %d %d\n", machine_adc_read_u16(&pot), machine_adc_read_u16(&light),
           machine_adc_read_u16(&temp));
    uint64_t t0 = asyncio_ticks_us();
    int n = machine_adc_read_timed(&light, samples, 16, 10000);
    unsigned took = (unsigned)(asyncio_ticks_us() - t0);
    printf("timed %d in %u us:", n, took);
    for (int i = 0; i < 16; i++) printf(" %u", samples[i]);
    printf("\n");

    static uint16_t many[100];
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 5);
    int r = machine_adc_read_timed(&pot, many, 100, 1000); /* 100 ms of samples */
    asyncio_timeout_exit(&scope);
    printf("timeout %s then %d\n", r == -ETIMEDOUT ? "ETIMEDOUT" : "?", machine_adc_read_u16(&pot));

    machine_pwm_t led, other;
    int a = machine_pwm_init(&led, 25, 1000, 32768);
    int b = machine_pwm_init(&other, 24, 1000, 16384);
    printf("pwm %d %d %u %u\n", a, b, (unsigned)machine_pwm_get_freq(&led),
           (unsigned)machine_pwm_get_duty_u16(&led));
    machine_pwm_duty_u16(&led, 49152);
    int f = machine_pwm_freq(&other, 50);
    printf("pwm 50 Hz %d %u %u %u\n", f, (unsigned)machine_pwm_get_freq(&led),
           (unsigned)machine_pwm_get_duty_u16(&led), (unsigned)machine_pwm_get_duty_u16(&other));
    machine_pwm_duty_ns(&led, 5000000); /* a quarter of the 20 ms period */
    printf("pwm ns %u\n", (unsigned)machine_pwm_get_duty_ns(&led));
    printf("pwm bad %d %d\n", machine_pwm_init(&led, 30, 1000, 0), machine_pwm_freq(&led, 7));
    return 0;
}

int main(void) {
    printf("adc init %d %d %d %d\n", machine_adc_init(&pot, 26), machine_adc_init(&light, 28),
           machine_adc_init(&temp, MACHINE_ADC_TEMPERATURE), machine_adc_init(&pot, 25));
    machine_adc_init(&pot, 26);
    return asyncio_run(run_all, NULL);
}
