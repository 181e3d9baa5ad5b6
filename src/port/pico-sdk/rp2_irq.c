/*
 * src/drivers/rp2/irq.h on pico-sdk: a driver's handler becomes the line's
 * exclusive handler in the SDK's vector table (irq_set_exclusive_handler),
 * so it coexists with everything else the program installs through the
 * SDK. A line that already has shared handlers (the SDK's GPIO dispatch,
 * the hardware alarms' IRQs, stdio_usb's) belongs to someone else: -EBUSY.
 */
#include <errno.h>

#include "../../drivers/rp2/irq.h"
#include "hardware/irq.h"

int rp2_irq_set_handler(unsigned irq, rp2_irq_handler_t h) {
    if (irq >= NUM_IRQS) return -EINVAL;
    if (irq_has_shared_handler(irq)) return -EBUSY;
    irq_handler_t current = irq_get_exclusive_handler(irq);
    if (current == h) return 0;
    if (current) irq_remove_handler(irq, current);
    if (h) irq_set_exclusive_handler(irq, h);
    return 0;
}

void rp2_irq_enable(unsigned irq) {
    irq_clear(irq); /* a request left pending from before */
    irq_set_enabled(irq, true);
}

void rp2_irq_disable(unsigned irq) { irq_set_enabled(irq, false); }
