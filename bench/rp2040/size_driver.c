/*
 * The smallest firmware that uses one driver (DRIVER_I2C, DRIVER_SPI,
 * DRIVER_ADC, DRIVER_PWM, or none): built once each, their flash sizes less
 * the one without a driver are what each driver adds (bench_periph.mjs).
 */
#include "asyncio.h"
#include "machine.h"

static int body(void *arg) {
    (void)arg;
#if defined(DRIVER_I2C)
    uint8_t b[2] = {0, 0};
    machine_i2c_t i2c;
    machine_i2c_init(&i2c, 0, 5, 4, 400000);
    return machine_i2c_readfrom_mem(&i2c, 0x76, 0xd0, 8, b, 1);
#elif defined(DRIVER_SPI)
    uint8_t b[2] = {0, 0};
    machine_spi_t spi;
    machine_spi_init(&spi, 0, 1000000, 0, 18, 19, 16);
    return machine_spi_write_readinto(&spi, b, b, 2);
#elif defined(DRIVER_ADC)
    machine_adc_t adc;
    machine_adc_init(&adc, 26);
    return machine_adc_read_u16(&adc);
#elif defined(DRIVER_PWM)
    machine_pwm_t pwm;
    machine_pwm_init(&pwm, 25, 1000, 32768);
    machine_pwm_duty_u16(&pwm, 1000);
    return (int)machine_pwm_get_freq(&pwm);
#else
    return asyncio_sleep_ms(1);
#endif
}

int main(void) { return asyncio_run(body, NULL); }
