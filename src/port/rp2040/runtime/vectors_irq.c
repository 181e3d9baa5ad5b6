/*
 * Interrupts for the drivers (src/drivers/rp2/irq.h) on the bare-metal
 * runtime: the vector table's entries for IRQ 2..25, placed by rp2040.ld
 * right after the 16 system vectors and IRQ 0..1 of startup.c, all lead to
 * one dispatcher, which calls the handler a driver installed for the
 * active line (a table in RAM).
 *
 * Firmware links this file only when a driver installs a handler (a GPIO
 * edge wait, a UART stream): the others end their table at IRQ 1, 96 bytes
 * shorter, and keep the 96 bytes of handlers in RAM; the NVIC never reads
 * the vector of a line that was never enabled. Built without link-time
 * optimisation (port.cmake), so that it stays an archive member pulled in
 * by that one reference.
 */
#include <errno.h>
#include <stdint.h>

#include "../../../drivers/rp2/irq.h"
#include "../../../drivers/rp2/regs.h"
#include "runtime.h"

#define FIRST_DRIVER_IRQ 2u  /* IRQ 0 and 1 are the port's TIMER alarms */
#define IRQ_LINES        26u /* the NVIC's lines 26..31 are tied to zero */

typedef void (*vector_fn)(void);

static rp2_irq_handler_t handlers[IRQ_LINES];

/* The exception number (IPSR) less 16 is the line. A NULL handler is a
 * line enabled without one: reported as unexpected. */
static void irq_dispatch(void) {
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    rp2_irq_handler_t h = handlers[(ipsr & 0x3fu) - 16u];
    if (h) {
        h();
    } else {
        rp2040_unexpected_irq();
    }
}

#define D irq_dispatch
// clang-format off
__attribute__((section(".vectors.irq"), used))
const vector_fn casyncio_vectors_irq[IRQ_LINES - FIRST_DRIVER_IRQ] = {
    D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D,
};
// clang-format on
#undef D

int rp2_irq_set_handler(unsigned irq, rp2_irq_handler_t h) {
    if (irq >= IRQ_LINES) {
        return -EINVAL;
    }
    if (irq < FIRST_DRIVER_IRQ) {
        return -EBUSY;
    }
    handlers[irq] = h;
    return 0;
}

void rp2_irq_enable(unsigned irq) {
    REG(NVIC_ICPR) = 1u << irq;
    REG(NVIC_ISER) = 1u << irq;
}

void rp2_irq_disable(unsigned irq) { REG(NVIC_ICER) = 1u << irq; }
