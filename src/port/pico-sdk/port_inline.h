/*
 * The pico-sdk port's part of every task switch (included by ../port.h):
 * as on the bare-metal RP2040, a canary word below each task stack is
 * checked when a task switches out (no MMU for guard pages).
 *
 * No pico-sdk header here: src/core includes this file and is built with
 * -Wconversion, which the SDK's inline functions do not all pass.
 */
#ifndef CASYNCIO_PORT_INLINE_H
#define CASYNCIO_PORT_INLINE_H

#include <stdbool.h>
#include <stdint.h>

#include "asyncio_port_config.h"

/* Task stacks with a canary; the assembly yield on the RP2040. */
#include "../cortex-m/canary_stack.h"

/* Both cores may run a loop of their own (../port.h). The core's number is
 * SIO's CPUID register, at the base of SIO on the RP2040 and the RP2350. */
#define PORT_CPUS 2u
static inline unsigned port_cpu(void) { return *(volatile const uint32_t *)0xd0000000u; }

/* No threads: the core's per-CPU state is plain static storage. */
#define PORT_THREAD_LOCAL

/* Atomically replaces *p with v and returns the old value, against
 * interrupt handlers and the other core. The Cortex-M33 (RP2350) has
 * exclusive loads and stores; the Cortex-M0+ (RP2040) has none, so there a
 * hardware spin lock with interrupts masked does it (port_sys.c). */
#if defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__)
static inline uint32_t port_atomic_swap(volatile uint32_t *p, uint32_t v) {
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}
#else
uint32_t pico_port_atomic_swap(volatile uint32_t *p, uint32_t v);
static inline uint32_t port_atomic_swap(volatile uint32_t *p, uint32_t v) {
    return pico_port_atomic_swap(p, v);
}
#endif

#endif
