/*
 * Critical sections, atomics, the console and the stack overflow report
 * for the core, on pico-sdk (../cortex-m/error_names.c has the errors'
 * names).
 *
 * A critical section masks interrupts on this core and takes a hardware
 * spin lock (pico-sdk's spin_lock_blocking), so that it also holds against
 * the other core: a loop on each core, and call_soon_threadsafe or a
 * ThreadSafeFlag set from either.
 */
#include <stdint.h>

#include "../../core/driver.h"
#include "hardware/sync.h"
#include "pico/stdio.h"
#include "port_pico.h"

uint32_t port_critical_enter(void) {
    return spin_lock_blocking(spin_lock_instance(PORT_PICO_CRITICAL_SPIN_LOCK));
}

void port_critical_exit(uint32_t state) {
    spin_unlock(spin_lock_instance(PORT_PICO_CRITICAL_SPIN_LOCK), state);
}

uint32_t pico_port_atomic_swap(volatile uint32_t *p, uint32_t v) {
    spin_lock_t *lock = spin_lock_instance(PORT_PICO_SWAP_SPIN_LOCK);
    uint32_t state = spin_lock_blocking(lock);
    uint32_t old = *p;
    *p = v;
    spin_unlock(lock, state);
    return old;
}

/* An aligned word access is a single bus transfer, atomic on both cores;
 * the barriers order it against the accesses around it. */
void *port_atomic_load_ptr(void *const volatile *p) {
    __dmb();
    void *v = *p;
    __dmb();
    return v;
}

void port_atomic_store_ptr(void *volatile *p, void *v) {
    __dmb();
    *p = v;
    __dmb();
}

/* Whatever the program enabled: USB CDC, UART, semihosting, RTT. */
void port_console_write(const char *s, size_t n) {
    stdio_put_string(s, (int)n, false, true);
    stdio_flush();
}

/* Interrupts stay on, so that a USB console still sends the report (its
 * stack runs from an interrupt). */
_Noreturn void pico_port_halt(void) {
    for (;;) __wfi();
}

/* The canary below a task's stack was overwritten (port_inline.h). Through
 * the core's small formatter (report), not printf: a program that never
 * prints links no printf for this. */
_Noreturn void port_stack_overflowed(const port_stack_t *s) {
    const port_stack_t *running;
    const char *name;
    core_running_task(&running, &name);
    report("\ncasyncio: task '%s' overflowed its %u-byte stack\n",
           name && running == s ? name : "?", (unsigned)port_stack_size(s));
    pico_port_halt();
}
