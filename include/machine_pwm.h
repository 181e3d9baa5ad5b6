/*
 * Pulse-width modulation, as MicroPython's machine.PWM.
 *
 * The RP2040 has 8 PWM slices of two channels (A and B) each; GPIO g is
 * channel g % 2 (A even, B odd) of slice (g / 2) % 8. The RP2350 has 12:
 * the RP2350B's GPIO 32..47 are on slices 8 + (g / 2) % 4. Both channels of a
 * slice share one frequency: setting the frequency of one changes the
 * other's, whose duty cycle is kept. None of these calls suspends.
 *
 * On the host the PWM state of every channel (frequency, duty) is kept and
 * written to the VCD trace beside the pins (machine.h).
 */
#ifndef MACHINE_PWM_H
#define MACHINE_PWM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MACHINE_PWM_MIN_FREQ 8u        /* Hz: the divider's limit at 125 MHz */
#define MACHINE_PWM_MAX_FREQ 62500000u /* Hz: a period of two clock cycles */

/* One PWM output. Caller storage; fields private. */
typedef struct machine_pwm {
    uint8_t gpio;     /* private */
    uint16_t duty;    /* private: the duty last asked for, u16 scale */
    uint32_t duty_ns; /* private: when set through duty_ns, else 0 */
} machine_pwm_t;

/* Routes `gpio` (0..29; 0..47 on the RP2350B) to its PWM slice and starts it at `freq` Hz with
 * duty `duty_u16` (0 = always low, 65535 = always high). Returns 0 or
 * -EINVAL (bad gpio, frequency outside MIN..MAX). */
int machine_pwm_init(machine_pwm_t *pwm, unsigned gpio, uint32_t freq, uint16_t duty_u16);

/* Stops the output (the pin goes low and back to its reset function). */
void machine_pwm_deinit(machine_pwm_t *pwm);

/* Sets the slice's frequency; the duty (u16 or ns, as last set) is kept.
 * The frequency reached is the closest the divider and counter allow.
 * Returns 0 or -EINVAL. */
int machine_pwm_freq(machine_pwm_t *pwm, uint32_t freq);

/* The slice's frequency now, Hz (rounded to the nearest). */
uint32_t machine_pwm_get_freq(const machine_pwm_t *pwm);

/* Sets the duty cycle as a fraction of 65535. */
void machine_pwm_duty_u16(machine_pwm_t *pwm, uint16_t duty);

/* The duty cycle as the hardware has it, u16 scale. */
uint16_t machine_pwm_get_duty_u16(const machine_pwm_t *pwm);

/* Sets the high time of each period in nanoseconds (capped at the period). */
void machine_pwm_duty_ns(machine_pwm_t *pwm, uint32_t ns);

/* The high time of each period as the hardware has it, nanoseconds. */
uint32_t machine_pwm_get_duty_ns(const machine_pwm_t *pwm);

#ifdef __cplusplus
}
#endif
#endif
