/*
 * The AN505 port's configuration, as Lua's luaconf.h: every setting is a
 * default a program may override by defining it first (e.g. with -D). The same as the RP2040's:
 * this port runs the firmware tests of a Cortex-M33 Pico 2 in qemu, and a
 * firmware that fits there must fit here.
 */
#ifndef ASYNCIO_PORT_CONFIG_H
#define ASYNCIO_PORT_CONFIG_H

#if !defined(ASYNCIO_DEFAULT_STACK)
#define ASYNCIO_DEFAULT_STACK 1024u /* stack of a task created without opts */
#endif
#if !defined(ASYNCIO_MIN_STACK)
#define ASYNCIO_MIN_STACK 256u /* smallest stack_size accepted */
#endif
#if !defined(ASYNCIO_THREADSAFE_SLOTS)
#define ASYNCIO_THREADSAFE_SLOTS 8u /* call_soon_threadsafe ring entries */
#endif
/* MACHINE_PIN_COUNT: none; this port drives no pins (machine.h is unused). */

/* A new loop's slow-step threshold, in ms: none (this port has no watch). */
#if !defined(PORT_SLOW_TASK_MS)
#define PORT_SLOW_TASK_MS 0u
#endif

/* Items of a pass between two looks at the timers (loop.c): none, a pass
 * runs whole. Passes are short with the few tasks a Pico holds, and the
 * looks would cost flash and cycles on every pass. */
#if !defined(PORT_PASS_STRETCH)
#define PORT_PASS_STRETCH 0u
#endif

/* As on the RP2040: the timer heap writes a moved timer's index into the
 * timer itself, with 16-byte rows (timer_heap.c). */
#if !defined(PORT_TIMER_SLOT_ROWS)
#define PORT_TIMER_SLOT_ROWS 0
#endif

/* Records of ended tasks a loop keeps for new ones: none, as on the RP2040. */
#if !defined(PORT_SPARE_TASK_RECORDS)
#define PORT_SPARE_TASK_RECORDS 0u
#endif

#endif
