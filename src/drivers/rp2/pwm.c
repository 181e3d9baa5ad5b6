/*
 * machine_pwm's backend on the RP2040 and the RP2350 (machine_backend.h;
 * the calls, their checks and the arithmetic are src/machine/pwm.c): a
 * slice's divider (DIV), wrap (TOP) and each channel's compare level (CC).
 * The registers are the state: nothing is kept in RAM but the handle.
 */
#include <stdint.h>

#include "../../machine/machine_backend.h"
#include "rp2_periph_regs.h"
#include "rp2_pinmap.h"
#include "rp2_port.h"

/* The CC field of a channel: A is bits 15:0, B 31:16. */
static unsigned cc_shift(unsigned gpio) { return (gpio % 2u) * 16u; }

void machine_pwm_backend_slice(unsigned gpio, uint32_t *div16, uint32_t *top) {
    unsigned s = rp2_pwm_slice(gpio);
    *div16 = RP2_REG(PWM_DIV(s));
    *top = RP2_REG(PWM_TOP(s));
}

/* The first call takes the PWM block out of reset (at once afterwards). */
void machine_pwm_backend_set_slice(unsigned gpio, uint32_t div16, uint32_t top) {
    unsigned s = rp2_pwm_slice(gpio);
    rp2_periph_unreset(RP2_RESET_PWM);
    RP2_REG(PWM_DIV(s)) = div16;
    RP2_REG(PWM_TOP(s)) = top;
}

uint32_t machine_pwm_backend_level(unsigned gpio) {
    return (RP2_REG(PWM_CC(rp2_pwm_slice(gpio))) >> cc_shift(gpio)) & 0xffffu;
}

void machine_pwm_backend_set_level(unsigned gpio, uint32_t level) {
    unsigned s = rp2_pwm_slice(gpio), shift = cc_shift(gpio);
    uint32_t cc = RP2_REG(PWM_CC(s)) & ~(0xffffu << shift);
    RP2_REG(PWM_CC(s)) = cc | (level << shift); /* at most TOP + 1 <= 65535 */
}

void machine_pwm_backend_enable(unsigned gpio) {
    RP2_SET(PWM_CSR(rp2_pwm_slice(gpio))) = PWM_CSR_EN;
    RP2_CLR(RP2_PADS_GPIO(gpio)) = RP2_PADS_OD;
    RP2_REG(RP2_IO_GPIO_CTRL(gpio)) = RP2_FUNC_PWM;
    rp2_pad_release(gpio);
}

void machine_pwm_backend_disable(unsigned gpio) {
    machine_pwm_backend_set_level(gpio, 0);
    RP2_REG(RP2_IO_GPIO_CTRL(gpio)) = RP2_FUNC_NULL;
}

void machine_pwm_backend_changed(unsigned gpio) { (void)gpio; /* the registers are the state */ }
