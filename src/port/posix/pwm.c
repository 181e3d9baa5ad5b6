/*
 * machine_pwm on the host: each slice keeps the divider and wrap value the
 * RP2040 would be given (the same arithmetic), each channel its compare
 * level; every change is written to the VCD trace (sim.h).
 */
#include <errno.h>
#include <string.h>

#include "../../../include/machine_sim.h"
#include "../../drivers/rp2/rp2_dividers.h"
#include "../../drivers/rp2/rp2_pinmap.h"
#include "sim.h"

struct sim_pwm_slice {
    uint32_t div16, top;
    uint32_t level[2];
    bool enabled[2];
};

static struct sim_pwm_slice slices[SIM_PWM_SLICES];

static struct sim_pwm_slice *slice_of(unsigned gpio) {
    return &slices[(gpio / 2u) % SIM_PWM_SLICES];
}

static void trace(unsigned gpio) {
    const struct sim_pwm_slice *s = slice_of(gpio);
    uint16_t duty[2];
    for (unsigned ch = 0; ch < 2; ch++)
        duty[ch] = s->enabled[ch] ? rp2_pwm_duty_from_level(s->level[ch], s->top) : 0;
    sim_vcd_pwm((gpio / 2u) % SIM_PWM_SLICES, s->top ? rp2_pwm_freq(s->div16, s->top) : 0, duty[0],
                duty[1]);
}

/* The compare level for the channel's duty as last asked (u16 or ns). */
static void apply_duty(const machine_pwm_t *pwm) {
    struct sim_pwm_slice *s = slice_of(pwm->gpio);
    s->level[pwm->gpio % 2u] = pwm->duty_ns ? rp2_pwm_level_ns(pwm->duty_ns, s->div16, s->top)
                                            : rp2_pwm_level(pwm->duty, s->top);
}

int machine_pwm_init(machine_pwm_t *pwm, unsigned gpio, uint32_t freq, uint16_t duty_u16) {
    uint32_t div16, top;
    if (!pwm || gpio >= RP2_GPIO_COUNT || rp2_pwm_divider(freq, &div16, &top) != 0) return -EINVAL;
    pwm->gpio = (uint8_t)gpio;
    pwm->duty = duty_u16;
    pwm->duty_ns = 0;
    struct sim_pwm_slice *s = slice_of(gpio);
    s->div16 = div16;
    s->top = top;
    s->enabled[gpio % 2u] = true;
    apply_duty(pwm);
    trace(gpio);
    return 0;
}

void machine_pwm_deinit(machine_pwm_t *pwm) {
    if (!pwm || pwm->gpio >= RP2_GPIO_COUNT) return;
    slice_of(pwm->gpio)->enabled[pwm->gpio % 2u] = false;
    trace(pwm->gpio);
}

int machine_pwm_freq(machine_pwm_t *pwm, uint32_t freq) {
    uint32_t div16, top;
    if (!pwm || pwm->gpio >= RP2_GPIO_COUNT || rp2_pwm_divider(freq, &div16, &top) != 0)
        return -EINVAL;
    struct sim_pwm_slice *s = slice_of(pwm->gpio);
    /* The other channel keeps its duty as a fraction of the period. */
    unsigned other = (pwm->gpio % 2u) ^ 1u;
    uint16_t other_duty = rp2_pwm_duty_from_level(s->level[other], s->top);
    s->div16 = div16;
    s->top = top;
    s->level[other] = rp2_pwm_level(other_duty, top);
    apply_duty(pwm);
    trace(pwm->gpio);
    return 0;
}

uint32_t machine_pwm_get_freq(const machine_pwm_t *pwm) {
    if (!pwm || pwm->gpio >= RP2_GPIO_COUNT) return 0;
    const struct sim_pwm_slice *s = slice_of(pwm->gpio);
    return s->top ? rp2_pwm_freq(s->div16, s->top) : 0;
}

void machine_pwm_duty_u16(machine_pwm_t *pwm, uint16_t duty) {
    if (!pwm || pwm->gpio >= RP2_GPIO_COUNT) return;
    pwm->duty = duty;
    pwm->duty_ns = 0;
    apply_duty(pwm);
    trace(pwm->gpio);
}

uint16_t machine_pwm_get_duty_u16(const machine_pwm_t *pwm) {
    if (!pwm || pwm->gpio >= RP2_GPIO_COUNT) return 0;
    const struct sim_pwm_slice *s = slice_of(pwm->gpio);
    return rp2_pwm_duty_from_level(s->level[pwm->gpio % 2u], s->top);
}

void machine_pwm_duty_ns(machine_pwm_t *pwm, uint32_t ns) {
    if (!pwm || pwm->gpio >= RP2_GPIO_COUNT) return;
    pwm->duty_ns = ns;
    pwm->duty = 0;
    apply_duty(pwm);
    trace(pwm->gpio);
}

uint32_t machine_pwm_get_duty_ns(const machine_pwm_t *pwm) {
    if (!pwm || pwm->gpio >= RP2_GPIO_COUNT) return 0;
    const struct sim_pwm_slice *s = slice_of(pwm->gpio);
    return rp2_pwm_ns_from_level(s->level[pwm->gpio % 2u], s->div16);
}

bool machine_pwm_sim_enabled(unsigned gpio) {
    return gpio < RP2_GPIO_COUNT && slice_of(gpio)->enabled[gpio % 2u];
}

uint32_t machine_pwm_sim_freq(unsigned gpio) {
    if (!machine_pwm_sim_enabled(gpio)) return 0;
    const struct sim_pwm_slice *s = slice_of(gpio);
    return rp2_pwm_freq(s->div16, s->top);
}

uint16_t machine_pwm_sim_duty_u16(unsigned gpio) {
    if (!machine_pwm_sim_enabled(gpio)) return 0;
    const struct sim_pwm_slice *s = slice_of(gpio);
    return rp2_pwm_duty_from_level(s->level[gpio % 2u], s->top);
}

void sim_pwm_reset(void) { memset(slices, 0, sizeof slices); }
