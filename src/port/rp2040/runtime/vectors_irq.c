/*
 * Interrupts for the drivers (src/drivers/rp2/irq.h) on the bare-metal
 * runtime. The vector table in flash gets its entries for IRQ 2..25 here,
 * placed by rp2040.ld right after the 16 system vectors and IRQ 0..1 of
 * startup.c: all report an unexpected interrupt. The first handler a driver
 * installs moves the table into RAM (VTOR), where each handler then sits in
 * its line's own entry: the NVIC calls it directly, with no dispatcher and
 * no table lookup on the way to the driver.
 *
 * Firmware links this file only when a driver installs a handler (a GPIO
 * edge wait, a UART stream): the others end their table at IRQ 1, 96 bytes
 * shorter, and keep the 168 bytes of the RAM table; the NVIC never reads
 * the vector of a line that was never enabled. Built without link-time
 * optimisation (port.cmake), so that it stays an archive member pulled in
 * by that one reference.
 */
#include <errno.h>
#include <stdint.h>

#include "../../../core/driver.h"
#include "../../../drivers/rp2/irq.h"
#include "../../../drivers/rp2/regs.h"
#include "../../cortex-m/cortexm.h"

#define SYSTEM_VECTORS   16u
#define FIRST_DRIVER_IRQ 2u  /* IRQ 0 and 1 are the port's TIMER alarms */
#define IRQ_LINES        26u /* the NVIC's lines 26..31 are tied to zero */

typedef void (*vector_fn)(void);

#define U cortexm_unexpected_irq
// clang-format off
__attribute__((section(".vectors.irq"), used))
const vector_fn casyncio_vectors_irq[IRQ_LINES - FIRST_DRIVER_IRQ] = {
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
};
// clang-format on
#undef U

/* The table the CPU uses once a handler is installed. VTOR keeps bits
 * 31..8 only: rp2040.ld puts the section at the start of RAM, which is
 * 256-byte aligned, so the alignment costs no padding. */
__attribute__((section(".ram_vectors"),
               aligned(256))) static vector_fn ram_vectors[SYSTEM_VECTORS + IRQ_LINES];

/* Copies the active table (flash, where boot2 pointed VTOR) into RAM and
 * points VTOR there, once. Interrupts are masked by the caller. */
static void ram_vectors_take_over(void) {
    if (REG(SCB_VTOR) == (uint32_t)(uintptr_t)ram_vectors) {
        return;
    }
    const vector_fn *active = (const vector_fn *)(uintptr_t)REG(SCB_VTOR);
    for (unsigned i = 0; i < SYSTEM_VECTORS + IRQ_LINES; i++) {
        ram_vectors[i] = active[i];
    }
    __asm volatile("dsb" ::: "memory"); /* the table is written before it is used */
    REG(SCB_VTOR) = (uint32_t)(uintptr_t)ram_vectors;
    __asm volatile("dsb\n isb" ::: "memory");
}

int rp2_irq_set_handler(unsigned irq, rp2_irq_handler_t h) {
    if (irq >= IRQ_LINES) {
        return -EINVAL;
    }
    if (irq < FIRST_DRIVER_IRQ) {
        return -EBUSY;
    }
    uint32_t state = port_critical_enter();
    ram_vectors_take_over();
    ram_vectors[SYSTEM_VECTORS + irq] = h ? h : cortexm_unexpected_irq;
    port_critical_exit(state);
    return 0;
}

void rp2_irq_enable(unsigned irq) {
    REG(NVIC_ICPR) = 1u << irq;
    REG(NVIC_ISER) = 1u << irq;
}

void rp2_irq_disable(unsigned irq) { REG(NVIC_ICER) = 1u << irq; }
