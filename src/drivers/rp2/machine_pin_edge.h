/*
 * What the edge handler (machine_pin_edge.c) shares with the edge counts
 * (machine_pin_edges.c): not a public API.
 */
#ifndef CASYNCIO_RP2_MACHINE_PIN_EDGE_H
#define CASYNCIO_RP2_MACHINE_PIN_EDGE_H

#include <stdint.h>

#include "machine.h"

/* Pins whose edges are counted (pin n: word n / 32, bit n % 32). */
extern volatile uint32_t edge_counting[MACHINE_PIN_MASK_WORDS];

/* Set by the counting file before it counts a pin: called from the
 * interrupt with the pin's latched edge bits (IO_INT_EDGE_HIGH / _LOW). */
extern void (*edge_count_hook)(unsigned gpio, uint32_t latched);

/* Arms both edges of `gpio` for good and marks it counted. */
void edge_count_start(unsigned gpio);

#endif
