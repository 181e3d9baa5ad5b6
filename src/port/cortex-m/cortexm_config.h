/*
 * The settings the Cortex-M ports share (the bare-metal ones and pico-sdk),
 * included at the end of their asyncio_port_config.h: a firmware has a few
 * KB of RAM for its tasks, and the mps2-an505 port, which runs the Cortex-M33 firmware tests
 * in qemu, is held to the RP2040's (a firmware that fits there must fit
 * here). Each is a default a firmware may override by defining it first
 * (-D, or target_compile_definitions(casyncio PUBLIC ...)).
 */
#ifndef CASYNCIO_CORTEXM_CONFIG_H
#define CASYNCIO_CORTEXM_CONFIG_H

/* Stack of a task created without opts, in RAM. */
#if !defined(ASYNCIO_DEFAULT_STACK)
#define ASYNCIO_DEFAULT_STACK 1024u
#endif

/* The smallest stack_size asyncio_task_opts_t accepts. */
#if !defined(ASYNCIO_MIN_STACK)
#define ASYNCIO_MIN_STACK 256u
#endif

/* call_soon_threadsafe's ring, part of the loop's RAM (a power of two). */
#if !defined(ASYNCIO_THREADSAFE_SLOTS)
#define ASYNCIO_THREADSAFE_SLOTS 8u
#endif

/* A new loop's slow-step threshold, in ms: none. A firmware that wants the
 * warning sets a threshold (on the RP2040 only then is the watch, ALARM1,
 * linked; the AN505 has none). */
#if !defined(PORT_SLOW_TASK_MS)
#define PORT_SLOW_TASK_MS 0u
#endif

/* Items of a pass between two looks at the timers (loop.c): none, a pass
 * runs whole. Passes are short with the few tasks a Pico holds, and the
 * looks would cost flash and cycles on every pass. */
#if !defined(PORT_PASS_STRETCH)
#define PORT_PASS_STRETCH 0u
#endif

/* The timer heap writes a moved timer's index into the timer itself: no
 * pages or caches to spare here, and 16-byte rows instead of 24 (timer_heap.c). */
#if !defined(PORT_TIMER_SLOT_ROWS)
#define PORT_TIMER_SLOT_ROWS 0
#endif

/* A binary timer heap: with no cache, a level costs its comparisons, and
 * the 2-ary code is the smallest (timer_heap.c). */
#if !defined(PORT_TIMER_HEAP_ARITY)
#define PORT_TIMER_HEAP_ARITY 2u
#endif

/* Records of ended tasks a loop keeps for new ones: none, RAM is scarce. */
#if !defined(PORT_SPARE_TASK_RECORDS)
#define PORT_SPARE_TASK_RECORDS 0u
#endif

/* No environment on a board (port.h's port_getenv is an inline NULL). */
#if !defined(PORT_HAS_ENVIRONMENT)
#define PORT_HAS_ENVIRONMENT 0
#endif

#endif
