/*
 * machine_pwm (machine_pwm.h) for every port: the checks and the divider
 * and compare-level arithmetic (rp2_dividers.h) are here; the port's
 * backend (machine_backend.h) holds each slice's divider and wrap value and
 * each channel's level: the RP2's PWM registers, or the host's simulation.
 */
#include <errno.h>

#include "../drivers/rp2/rp2_dividers.h"
#include "../drivers/rp2/rp2_pinmap.h"
#include "machine_backend.h"

static bool pwm_ok(const machine_pwm_t *pwm) { return pwm && pwm->gpio < RP2_GPIO_COUNT; }

/* The channel's compare level for the duty last asked (u16 or ns). */
static void apply_duty(const machine_pwm_t *pwm) {
    uint32_t div16, top;
    machine_pwm_backend_slice(pwm->gpio, &div16, &top);
    machine_pwm_backend_set_level(pwm->gpio, pwm->duty_ns
                                                 ? rp2_pwm_level_ns(pwm->duty_ns, div16, top)
                                                 : rp2_pwm_level(pwm->duty, top));
}

int machine_pwm_init(machine_pwm_t *pwm, unsigned gpio, uint32_t freq, uint16_t duty_u16) {
    uint32_t div16, top;
    if (!pwm || gpio >= RP2_GPIO_COUNT || rp2_pwm_divider(freq, &div16, &top) != 0) return -EINVAL;
    pwm->gpio = (uint8_t)gpio;
    pwm->duty = duty_u16;
    pwm->duty_ns = 0;
    machine_pwm_backend_set_slice(gpio, div16, top);
    apply_duty(pwm);
    machine_pwm_backend_enable(gpio);
    machine_pwm_backend_changed(gpio);
    return 0;
}

void machine_pwm_deinit(machine_pwm_t *pwm) {
    if (!pwm_ok(pwm)) return;
    machine_pwm_backend_disable(pwm->gpio);
    machine_pwm_backend_changed(pwm->gpio);
}

int machine_pwm_freq(machine_pwm_t *pwm, uint32_t freq) {
    uint32_t div16, top, old_div16, old_top;
    if (!pwm_ok(pwm) || rp2_pwm_divider(freq, &div16, &top) != 0) return -EINVAL;
    /* The other channel keeps its duty as a fraction of the period. */
    unsigned other = pwm->gpio ^ 1u;
    machine_pwm_backend_slice(pwm->gpio, &old_div16, &old_top);
    uint16_t other_duty = rp2_pwm_duty_from_level(machine_pwm_backend_level(other), old_top);
    machine_pwm_backend_set_slice(pwm->gpio, div16, top);
    machine_pwm_backend_set_level(other, rp2_pwm_level(other_duty, top));
    apply_duty(pwm);
    machine_pwm_backend_changed(pwm->gpio);
    return 0;
}

uint32_t machine_pwm_get_freq(const machine_pwm_t *pwm) {
    uint32_t div16, top;
    if (!pwm_ok(pwm)) return 0;
    machine_pwm_backend_slice(pwm->gpio, &div16, &top);
    return top ? rp2_pwm_freq(div16, top) : 0;
}

void machine_pwm_duty_u16(machine_pwm_t *pwm, uint16_t duty) {
    if (!pwm_ok(pwm)) return;
    pwm->duty = duty;
    pwm->duty_ns = 0;
    apply_duty(pwm);
    machine_pwm_backend_changed(pwm->gpio);
}

uint16_t machine_pwm_get_duty_u16(const machine_pwm_t *pwm) {
    uint32_t div16, top;
    if (!pwm_ok(pwm)) return 0;
    machine_pwm_backend_slice(pwm->gpio, &div16, &top);
    return rp2_pwm_duty_from_level(machine_pwm_backend_level(pwm->gpio), top);
}

void machine_pwm_duty_ns(machine_pwm_t *pwm, uint32_t ns) {
    if (!pwm_ok(pwm)) return;
    pwm->duty_ns = ns;
    pwm->duty = 0;
    apply_duty(pwm);
    machine_pwm_backend_changed(pwm->gpio);
}

uint32_t machine_pwm_get_duty_ns(const machine_pwm_t *pwm) {
    uint32_t div16, top;
    if (!pwm_ok(pwm)) return 0;
    machine_pwm_backend_slice(pwm->gpio, &div16, &top);
    return rp2_pwm_ns_from_level(machine_pwm_backend_level(pwm->gpio), div16);
}
