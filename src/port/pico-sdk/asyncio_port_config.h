/*
 * The pico-sdk port's settings. Each can be overridden by defining it for
 * the casyncio library build (target_compile_definitions(casyncio ...)).
 */
#ifndef CASYNCIO_PICO_SDK_PORT_CONFIG_H
#define CASYNCIO_PICO_SDK_PORT_CONFIG_H

/* A new loop's slow-step threshold, in ms: none until a program sets one
 * (the watch then takes a repeating timer from pico_time's alarm pool). */
#if !defined(PORT_SLOW_TASK_MS)
#define PORT_SLOW_TASK_MS 0u
#endif

/* Records of ended tasks a loop keeps for new ones: none, RAM is scarce. */
#if !defined(PORT_SPARE_TASK_RECORDS)
#define PORT_SPARE_TASK_RECORDS 0u
#endif

/* The hardware spin locks the port takes: pico-sdk reserves these two for
 * an operating system beside it (hardware/sync.h). One guards the port's
 * critical sections, the other its atomic swaps (a swap may happen inside a
 * critical section). */
#if !defined(PORT_PICO_CRITICAL_SPIN_LOCK)
#define PORT_PICO_CRITICAL_SPIN_LOCK 14u /* PICO_SPINLOCK_ID_OS1 */
#endif
#if !defined(PORT_PICO_SWAP_SPIN_LOCK)
#define PORT_PICO_SWAP_SPIN_LOCK 15u /* PICO_SPINLOCK_ID_OS2 */
#endif

#endif
