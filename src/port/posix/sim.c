/*
 * machine_sim_reset: every simulated peripheral back to its start.
 */
#include "sim.h"
#include "../../../include/machine_sim.h"

void machine_sim_reset(void) {
    machine_pin_sim_reset();
    sim_i2c_reset();
    sim_spi_reset();
    sim_adc_reset();
    sim_pwm_reset();
}
