/*
 * Interrupts for the RP2 drivers: a handler per IRQ line, installed and
 * enabled by the driver that owns the peripheral. Implemented by the
 * bare-metal runtime (its vector table) and by the pico-sdk port.
 *
 * A handler acknowledges its peripheral, records what happened, and calls
 * driver_deferred_signal(); the task is woken from the deferred function
 * (loop context) with driver_wake().
 */
#ifndef CASYNCIO_RP2_IRQ_H
#define CASYNCIO_RP2_IRQ_H

typedef void (*rp2_irq_handler_t)(void);

/* Installs `h` for IRQ line n (RP2040 numbering; RP2350 its own), replacing
 * the previous one. 0, or -EINVAL for a bad line / -EBUSY if another owner. */
int rp2_irq_set_handler(unsigned irq, rp2_irq_handler_t h);
void rp2_irq_enable(unsigned irq);
void rp2_irq_disable(unsigned irq);

#endif
