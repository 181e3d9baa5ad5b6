/*
 * Critical sections, atomics, the console and errno names for the core, on
 * pico-sdk.
 *
 * A critical section masks interrupts on this core and takes a hardware
 * spin lock (pico-sdk's spin_lock_blocking), so that it also holds against
 * the other core: a loop on each core, and call_soon_threadsafe or a
 * ThreadSafeFlag set from either.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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

const char *port_getenv(const char *name) {
    (void)name;
    return NULL;
}

/* Whatever the program enabled: USB CDC, UART, semihosting, RTT. */
void port_console_write(const char *s, size_t n) {
    stdio_put_string(s, (int)n, false, true);
    stdio_flush();
}

/* The tasks are stopped for good; interrupts stay on, so that a USB
 * console still sends the message (its stack runs from an interrupt). */
_Noreturn void pico_port_fatal(const char *msg) {
    port_console_write(msg, strlen(msg));
    for (;;) __wfi();
}

const char *port_strerror(int errnum) {
    return strerror(errnum < 0 ? -errnum : errnum);
}
