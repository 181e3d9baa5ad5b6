/*
 * The POSIX port's configuration, as Lua's luaconf.h: every setting is a
 * default a program may override by defining it first (on the compiler's
 * command line for the library and the program alike: -DASYNCIO_THREADSAFE_SLOTS=128).
 * The public headers include this file (it is on the library's public
 * include path), so they need test no CPU or OS macro.
 */
#ifndef ASYNCIO_PORT_CONFIG_H
#define ASYNCIO_PORT_CONFIG_H

/* Stack of a task created without opts: address space, of which only the
 * touched pages cost memory. */
#if !defined(ASYNCIO_DEFAULT_STACK)
#define ASYNCIO_DEFAULT_STACK (64u * 1024u)
#endif

/* The smallest stack_size asyncio_task_opts_t accepts. */
#if !defined(ASYNCIO_MIN_STACK)
#define ASYNCIO_MIN_STACK 1024u
#endif

/* call_soon_threadsafe's ring, per loop (a power of two). */
#if !defined(ASYNCIO_THREADSAFE_SLOTS)
#define ASYNCIO_THREADSAFE_SLOTS 64u
#endif

/* Simulated pins (machine.h): as many as the RP2040 has GPIOs. */
#if !defined(MACHINE_PIN_COUNT)
#define MACHINE_PIN_COUNT 30u
#endif

/* machine.h's host-only calls that drive and observe the simulated pins. */
#if !defined(MACHINE_PIN_SIMULATED)
#define MACHINE_PIN_SIMULATED 1
#endif

/* A new loop's slow-step threshold, in ms (asyncio_loop_set_slow_task_threshold_ms). */
#if !defined(PORT_SLOW_TASK_MS)
#define PORT_SLOW_TASK_MS 100u
#endif

/* Records of ended tasks a loop keeps for new ones (96 bytes each). */
#if !defined(PORT_SPARE_TASK_RECORDS)
#define PORT_SPARE_TASK_RECORDS 1024u
#endif

#endif
