/*
 * An edge wait (machine_pin_wait_edge) as both RP2 ports run it: the
 * waiting call and its undoing are the same (machine_pin_edge_wait.c);
 * each port arms and disarms a pin on its own interrupt set-up (the
 * bare-metal driver's machine_pin_edge.c, the pico-sdk port's
 * machine_edge.c), and its interrupt handler hands the waiting task over
 * with driver_isr_wake(), the first edge as its result. Not a public API.
 */
#ifndef CASYNCIO_RP2_MACHINE_PIN_EDGE_WAIT_H
#define CASYNCIO_RP2_MACHINE_PIN_EDGE_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#include "../../core/driver.h"
#include "machine.h"

/* A pin's latched edge bits, as IO_BANK0 has them on both chips (the SDK's
 * GPIO_IRQ_EDGE_RISE and _FALL). */
#define EDGE_LATCH_RISE 8u
#define EDGE_LATCH_FALL 4u

/* The port's, loop context: arms `gpio` for `edges` (MACHINE_PIN_RISING,
 * MACHINE_PIN_FALLING), edges latched before cleared, with `w` in the
 * pin's slot for the handler. 0, or -EBUSY when the pin is taken (a task
 * waits on it, or its edges are counted). */
int edge_arm(unsigned gpio, unsigned edges, driver_isr_wake_t *w);

/* The port's, loop context: the pin stops listening for `w`, if it still
 * does (once the handler has handed w over, the pin may be armed for
 * another wait). */
void edge_disarm(unsigned gpio, const driver_isr_wake_t *w);

/* The edge a wait reports from a pin's latched bits (EDGE_LATCH_*, at
 * least one set). Both latched before the handler ran: the level now tells
 * the order (a pin that is low again went up first); `is_high` reads it,
 * only then. */
static inline __attribute__((always_inline)) unsigned edge_first(uint32_t latched, unsigned gpio,
                                                                 bool (*is_high)(unsigned gpio)) {
    bool rose = latched & EDGE_LATCH_RISE, fell = latched & EDGE_LATCH_FALL;
    if (rose && fell) return is_high(gpio) ? MACHINE_PIN_FALLING : MACHINE_PIN_RISING;
    return rose ? MACHINE_PIN_RISING : MACHINE_PIN_FALLING;
}

#endif
