/*
 * What the host's simulated peripherals share (not a public API): the
 * simulation's clock and the VCD trace kept by pins.c.
 */
#ifndef CASYNCIO_POSIX_SIM_H
#define CASYNCIO_POSIX_SIM_H

#include <stdint.h>

#define SIM_PWM_SLICES 8u

/* The running loop's clock, else the default loop's (us). */
uint64_t sim_time(void);

/* Writes a PWM slice's state to the VCD trace (when there is one). */
void sim_vcd_pwm(unsigned slice, uint32_t freq, uint16_t duty_a, uint16_t duty_b);

/* Each simulated peripheral forgets its devices and state (machine_sim_reset). */
void sim_i2c_reset(void);
void sim_spi_reset(void);
void sim_adc_reset(void);
void sim_pwm_reset(void);

/* The bus time of `bits` bits at `hz`, in whole microseconds (rounded up). */
static inline uint64_t sim_bits_us(uint64_t bits, uint32_t hz) {
    return (bits * 1000000u + hz - 1u) / hz;
}

#endif
