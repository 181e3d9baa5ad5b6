/*
 * machine_pwm's backend on the host (src/machine/machine_backend.h; the
 * calls, their checks and the arithmetic are src/machine/pwm.c): each slice
 * keeps the divider and wrap value the RP2040 would be given, each channel
 * its compare level; every change is written to the VCD trace (sim.h).
 */
#include <errno.h>
#include <string.h>

#include "../../../include/machine_sim.h"
#include "../../drivers/rp2/rp2_dividers.h"
#include "../../drivers/rp2/rp2_pinmap.h"
#include "../../machine/machine_backend.h"
#include "sim.h"

struct sim_pwm_slice {
    uint32_t div16, top;
    uint32_t level[2];
    bool enabled[2];
};

static struct sim_pwm_slice slices[SIM_PWM_SLICES];

static struct sim_pwm_slice *slice_of(unsigned gpio) {
    return &slices[rp2_pwm_slice(gpio) % SIM_PWM_SLICES];
}

void machine_pwm_backend_slice(unsigned gpio, uint32_t *div16, uint32_t *top) {
    const struct sim_pwm_slice *s = slice_of(gpio);
    *div16 = s->div16;
    *top = s->top;
}

void machine_pwm_backend_set_slice(unsigned gpio, uint32_t div16, uint32_t top) {
    struct sim_pwm_slice *s = slice_of(gpio);
    s->div16 = div16;
    s->top = top;
}

uint32_t machine_pwm_backend_level(unsigned gpio) { return slice_of(gpio)->level[gpio % 2u]; }

void machine_pwm_backend_set_level(unsigned gpio, uint32_t level) {
    slice_of(gpio)->level[gpio % 2u] = level;
}

void machine_pwm_backend_enable(unsigned gpio) { slice_of(gpio)->enabled[gpio % 2u] = true; }

void machine_pwm_backend_disable(unsigned gpio) { slice_of(gpio)->enabled[gpio % 2u] = false; }

/* The slice's state into the VCD trace. */
void machine_pwm_backend_changed(unsigned gpio) {
    const struct sim_pwm_slice *s = slice_of(gpio);
    uint16_t duty[2];
    for (unsigned ch = 0; ch < 2; ch++)
        duty[ch] = s->enabled[ch] ? rp2_pwm_duty_from_level(s->level[ch], s->top) : 0;
    sim_vcd_pwm(rp2_pwm_slice(gpio) % SIM_PWM_SLICES, s->top ? rp2_pwm_freq(s->div16, s->top) : 0,
                duty[0], duty[1]);
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
