/*
 * rp2_irq_* (src/drivers/rp2/irq.h) for the bare-metal runtime: the vector
 * table's entries for the lines drivers install handlers on point at one
 * dispatcher (a weak default in vectors_irq.c, this file's when linked),
 * which calls the handler of the active line from a table in RAM.
 *
 * Lines 13 (GPIO edges) and 20 (UART0) keep their fixed handlers (the port's
 * own): installing on them is -EBUSY, as are the TIMER lines 0 and 1.
 */
#include <errno.h>
#include <stdint.h>

#include "../../drivers/rp2/irq.h"
#include "regs.h"
#include "rp2040.h"

#define IRQ_LINES 26u

static rp2_irq_handler_t handlers[IRQ_LINES];

void rp2040_isr_dispatch(void) {
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    unsigned line = (ipsr & 0x3fu) - 16u;
    if (line < IRQ_LINES && handlers[line]) {
        handlers[line]();
    } else {
        rp2040_unexpected_irq();
    }
}

int rp2_irq_set_handler(unsigned irq, rp2_irq_handler_t h) {
    if (irq >= IRQ_LINES) return -EINVAL;
    if (irq < 2u || irq == IRQ_IO_BANK0 || irq == IRQ_UART0) return -EBUSY;
    handlers[irq] = h;
    return 0;
}

void rp2_irq_enable(unsigned irq) { rp2040_irq_enable_high(irq); }

void rp2_irq_disable(unsigned irq) { REG(NVIC_ICER) = 1u << irq; }
