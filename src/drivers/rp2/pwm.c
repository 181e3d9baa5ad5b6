/*
 * machine_pwm on the RP2040: a slice's divider (DIV), wrap (TOP) and the
 * channel's compare level (CC), written from the shared divider arithmetic.
 * The registers are the state: nothing is kept in RAM but the handle.
 */
#include <errno.h>
#include <stdint.h>

#include "../../../include/machine_pwm.h"
#include "rp2_dividers.h"
#include "rp2_periph_regs.h"
#include "rp2_port.h"
#include "rp2_pinmap.h"

static unsigned slice_of(unsigned gpio) { return (gpio / 2u) % 8u; }

/* The CC field of a channel: A is bits 15:0, B 31:16. */
static unsigned cc_shift(unsigned gpio) { return (gpio % 2u) * 16u; }

static uint32_t level_of(unsigned gpio) {
    return (RP2_REG(PWM_CC(slice_of(gpio))) >> cc_shift(gpio)) & 0xffffu;
}

static void set_level(unsigned gpio, uint32_t level) {
    unsigned s = slice_of(gpio), shift = cc_shift(gpio);
    uint32_t cc = RP2_REG(PWM_CC(s)) & ~(0xffffu << shift);
    RP2_REG(PWM_CC(s)) = cc | (level << shift); /* at most TOP + 1 <= 65535 */
}

static void apply_duty(const machine_pwm_t *pwm) {
    unsigned s = slice_of(pwm->gpio);
    uint32_t top = RP2_REG(PWM_TOP(s)), div16 = RP2_REG(PWM_DIV(s));
    set_level(pwm->gpio, pwm->duty_ns ? rp2_pwm_level_ns(pwm->duty_ns, div16, top)
                                      : rp2_pwm_level(pwm->duty, top));
}

int machine_pwm_init(machine_pwm_t *pwm, unsigned gpio, uint32_t freq, uint16_t duty_u16) {
    uint32_t div16, top;
    if (!pwm || gpio >= RP2_GPIO_COUNT || rp2_pwm_divider(freq, &div16, &top) != 0) return -EINVAL;
    pwm->gpio = (uint8_t)gpio;
    pwm->duty = duty_u16;
    pwm->duty_ns = 0;
    rp2_periph_unreset(RP2_RESET_PWM);
    unsigned s = slice_of(gpio);
    RP2_REG(PWM_DIV(s)) = div16;
    RP2_REG(PWM_TOP(s)) = top;
    apply_duty(pwm);
    RP2_SET(PWM_CSR(s)) = PWM_CSR_EN;
    RP2_CLR(RP2_PADS_GPIO(gpio)) = RP2_PADS_OD;
    RP2_REG(RP2_IO_GPIO_CTRL(gpio)) = RP2_FUNC_PWM;
    return 0;
}

void machine_pwm_deinit(machine_pwm_t *pwm) {
    if (!pwm || pwm->gpio >= RP2_GPIO_COUNT) return;
    set_level(pwm->gpio, 0);
    RP2_REG(RP2_IO_GPIO_CTRL(pwm->gpio)) = RP2_FUNC_NULL;
}

int machine_pwm_freq(machine_pwm_t *pwm, uint32_t freq) {
    uint32_t div16, top;
    if (!pwm || pwm->gpio >= RP2_GPIO_COUNT || rp2_pwm_divider(freq, &div16, &top) != 0)
        return -EINVAL;
    unsigned s = slice_of(pwm->gpio), other = pwm->gpio ^ 1u;
    /* The other channel keeps its duty as a fraction of the period. */
    uint16_t other_duty = rp2_pwm_duty_from_level(level_of(other), RP2_REG(PWM_TOP(s)));
    RP2_REG(PWM_DIV(s)) = div16;
    RP2_REG(PWM_TOP(s)) = top;
    set_level(other, rp2_pwm_level(other_duty, top));
    apply_duty(pwm);
    return 0;
}

uint32_t machine_pwm_get_freq(const machine_pwm_t *pwm) {
    if (!pwm || pwm->gpio >= RP2_GPIO_COUNT) return 0;
    unsigned s = slice_of(pwm->gpio);
    return rp2_pwm_freq(RP2_REG(PWM_DIV(s)), RP2_REG(PWM_TOP(s)));
}

void machine_pwm_duty_u16(machine_pwm_t *pwm, uint16_t duty) {
    if (!pwm || pwm->gpio >= RP2_GPIO_COUNT) return;
    pwm->duty = duty;
    pwm->duty_ns = 0;
    apply_duty(pwm);
}

uint16_t machine_pwm_get_duty_u16(const machine_pwm_t *pwm) {
    if (!pwm || pwm->gpio >= RP2_GPIO_COUNT) return 0;
    return rp2_pwm_duty_from_level(level_of(pwm->gpio), RP2_REG(PWM_TOP(slice_of(pwm->gpio))));
}

void machine_pwm_duty_ns(machine_pwm_t *pwm, uint32_t ns) {
    if (!pwm || pwm->gpio >= RP2_GPIO_COUNT) return;
    pwm->duty_ns = ns;
    pwm->duty = 0;
    apply_duty(pwm);
}

uint32_t machine_pwm_get_duty_ns(const machine_pwm_t *pwm) {
    if (!pwm || pwm->gpio >= RP2_GPIO_COUNT) return 0;
    return rp2_pwm_ns_from_level(level_of(pwm->gpio), RP2_REG(PWM_DIV(slice_of(pwm->gpio))));
}
