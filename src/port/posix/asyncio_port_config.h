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

/* The smallest stack_size asyncio_task_opts_t accepts: enough for a task
 * body that calls the C library and takes a signal. The first call of a
 * lazily bound function runs the dynamic linker's resolver, which saves the
 * register state on the task's stack (0.9 KiB more for a printf with
 * AVX-512), and a signal handler without an alternate stack gets its frame
 * there (3.2 KiB on x86_64 with AVX-512, 4.7 KiB on aarch64, more with SVE).
 * A printf and a signal together measured 3.3 KiB (x86_64) and 4.8 KiB
 * (aarch64); 16 KiB leaves room for both at once and for the body's own
 * frames. Stacks the library maps cost only the pages touched; the minimum
 * matters for caller-provided stacks. */
#if !defined(ASYNCIO_MIN_STACK)
#define ASYNCIO_MIN_STACK (16u * 1024u)
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

/* Items of a long pass between two looks at the timers (loop.c): a timer
 * due while a pass starts 100,000 tasks waits for a stretch, not the pass. */
#if !defined(PORT_PASS_STRETCH)
#define PORT_PASS_STRETCH 64u
#endif

/* The timer heap keeps each timer's slot in rows of its own (16-byte
 * entries, and per slot its timer and its entry's index), so sifting
 * 100,000 timers never writes to the pages of the tasks that sleep
 * (timer_heap.c). */
#if !defined(PORT_TIMER_SLOT_ROWS)
#define PORT_TIMER_SLOT_ROWS 1
#endif

/* Children per entry of the timer heap: 4, whose siblings fill a 64-byte
 * line, passes half the levels of a binary heap (timer_heap.c). */
#if !defined(PORT_TIMER_HEAP_ARITY)
#define PORT_TIMER_HEAP_ARITY 4u
#endif

/* Records of ended tasks a loop keeps for new ones (96 bytes each). */
#if !defined(PORT_SPARE_TASK_RECORDS)
#define PORT_SPARE_TASK_RECORDS 1024u
#endif

#endif
