/*
 * Interrupt masking, pointer atomics and the environment for the core, on
 * one Cortex-M core with no other thread of execution than its interrupt
 * handlers.
 */
#include <stdint.h>

#include "../port.h"

uint32_t port_critical_enter(void) {
    uint32_t primask;
    __asm volatile("mrs %0, primask\n"
                   "cpsid i"
                   : "=r"(primask)::"memory");
    return primask;
}

void port_critical_exit(uint32_t state) {
    __asm volatile("msr primask, %0" ::"r"(state) : "memory");
}

/* One core, and an aligned word access is a single bus transfer: a volatile
 * access is atomic; the barriers keep the compiler from moving memory
 * accesses across it. */
void *port_atomic_load_ptr(void *const volatile *p) {
    __asm volatile("" ::: "memory");
    void *v = *p;
    __asm volatile("" ::: "memory");
    return v;
}

void port_atomic_store_ptr(void *volatile *p, void *v) {
    __asm volatile("" ::: "memory");
    *p = v;
    __asm volatile("" ::: "memory");
}
