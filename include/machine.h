/*
 * Pins, as MicroPython's machine.Pin.
 *
 * On the RP2040 these drive the real GPIOs through the SIO block. On the host
 * the pins are simulated: every change is recorded with the loop's time, a VCD
 * trace is written when the environment has ASYNCIO_VCD=path, and inputs are
 * driven with machine_pin_sim_drive() (host only, declared below).
 */
#ifndef MACHINE_H
#define MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "asyncio_port_config.h" /* MACHINE_PIN_COUNT, MACHINE_PIN_SIMULATED */

#ifdef __cplusplus
extern "C" {
#endif

/* MACHINE_PIN_COUNT (the port's configuration): GPIO 0 .. MACHINE_PIN_COUNT - 1.
 * A set of pins is MACHINE_PIN_MASK_WORDS 32-bit words, pin n in word n / 32. */
#define MACHINE_PIN_MASK_WORDS ((MACHINE_PIN_COUNT + 31u) / 32u)

typedef enum { MACHINE_PIN_IN = 0, MACHINE_PIN_OUT = 1 } machine_pin_mode_t;
typedef enum {
    MACHINE_PIN_PULL_NONE = 0,
    MACHINE_PIN_PULL_UP = 1,
    MACHINE_PIN_PULL_DOWN = 2
} machine_pin_pull_t;

#define MACHINE_PIN_RISING  1u
#define MACHINE_PIN_FALLING 2u

typedef struct machine_pin {
    uint8_t gpio; /* private */
    uint8_t mode; /* private */
} machine_pin_t;

/* Configures GPIO `gpio` as an input or an output (driven low). Returns 0, or
 * -EINVAL for a GPIO >= MACHINE_PIN_COUNT or an unknown mode. */
int machine_pin_init(machine_pin_t *pin, unsigned gpio, machine_pin_mode_t mode);

/* Enables the pull-up or pull-down resistor, or neither. */
void machine_pin_pull(machine_pin_t *pin, machine_pin_pull_t pull);

/* Drives an output pin: value_set(0/1), on, off, toggle. */
void machine_pin_value_set(machine_pin_t *pin, int v);
void machine_pin_on(machine_pin_t *pin);
void machine_pin_off(machine_pin_t *pin);
void machine_pin_toggle(machine_pin_t *pin);

/* The level on the pin (0 or 1), for inputs and outputs. */
int machine_pin_value(const machine_pin_t *pin);

/* Suspends until one of the requested edges (MACHINE_PIN_RISING |
 * MACHINE_PIN_FALLING) occurs on the pin. Returns the edge seen (RISING or
 * FALLING), -EINVAL for no edge bits, -EBUSY when another task is already
 * waiting on the pin (one waiter per pin, as a pin has one edge latch), or
 * the usual -ECANCELED / -ETIMEDOUT / -EPERM. */
int machine_pin_wait_edge(machine_pin_t *pin, unsigned edges);

/* ---- host simulation only ------------------------------------------------ */
#if MACHINE_PIN_SIMULATED
/* Drives an input pin's level from outside (a test, the keyboard); edges
 * wake machine_pin_wait_edge() waiters. -EINVAL for a bad gpio. */
int machine_pin_sim_drive(unsigned gpio, int level);

/* Observer called after every level change of any pin, with the loop time. */
typedef void (*machine_pin_observer_fn)(unsigned gpio, int level, uint64_t time_us, void *ctx);
void machine_pin_sim_observe(machine_pin_observer_fn fn, void *ctx);

/* Number of level changes recorded on a pin since the process started (or
 * since machine_pin_sim_reset()), and the time of the i-th (0-based). */
unsigned machine_pin_sim_changes(unsigned gpio);
uint64_t machine_pin_sim_change_time(unsigned gpio, unsigned i);

/* Forgets every pin's state and history (between tests). */
void machine_pin_sim_reset(void);
#endif

#ifdef __cplusplus
}
#endif
#endif
