/*
 * Interrupts for the RP2 drivers: install a handler for an IRQ line, enable
 * it, disable it. The drivers reach the interrupt controller only through
 * these calls, so they run on any port that implements them: the bare-metal
 * runtime (src/port/rp2040/runtime/vectors_irq.c, a vector table whose
 * entries are linked only by firmware that installs a handler) and the
 * pico-sdk port (irq_set_exclusive_handler, irq_set_enabled).
 *
 * A handler runs in interrupt context: it acknowledges its peripheral,
 * records what happened, and calls driver_deferred_signal() (driver.h); the
 * task is woken from the deferred function, in loop context, with
 * driver_wake().
 */
#ifndef CASYNCIO_RP2_IRQ_H
#define CASYNCIO_RP2_IRQ_H

typedef void (*rp2_irq_handler_t)(void);

/* Installs `h` for IRQ line `irq` (RP2040 numbering: 0..25; the RP2350 its
 * own), replacing the previous one; NULL uninstalls. 0, or -EINVAL for a
 * bad line, -EBUSY for a line the port keeps for itself (the bare-metal
 * port's TIMER_IRQ_0 and _1: its alarms). */
int rp2_irq_set_handler(unsigned irq, rp2_irq_handler_t h);

/* Enables the line in the interrupt controller, dropping any request left
 * pending from before. Enabling an enabled line is harmless. */
void rp2_irq_enable(unsigned irq);

/* Disables the line: its handler is not called until it is enabled again. */
void rp2_irq_disable(unsigned irq);

/* A handler's own critical section, cheaper than port_critical_enter() and
 * _exit(), which save and restore the mask: a handler is only ever entered
 * with interrupts unmasked (PRIMASK clear; exception entry does not change
 * it), so it masks them and unmasks them again before it returns. */
static inline __attribute__((always_inline)) void rp2_irq_handler_mask(void) {
    __asm volatile("cpsid i" ::: "memory");
}
static inline __attribute__((always_inline)) void rp2_irq_handler_unmask(void) {
    __asm volatile("cpsie i" ::: "memory");
}

#endif
