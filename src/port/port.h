/*
 * The port interface: everything the portable core needs from a platform.
 * One implementation per folder under src/port/ (posix, rp2040). Each port
 * folder also has, found on the include path:
 *   asyncio_port_config.h  its settings, each overridable (#if !defined):
 *                          stack sizes, threadsafe slots, pin count, and
 *                          PORT_SLOW_TASK_MS (a new loop's slow-step
 *                          threshold, 0: none) and PORT_SPARE_TASK_RECORDS
 *                          (how many records of ended tasks a loop keeps);
 *   port_inline.h          what runs at every task switch (so that it
 *                          inlines into the core's switch);
 *   port.cmake             its part of the build, included by the top-level
 *                          CMakeLists.txt.
 */
#ifndef CASYNCIO_PORT_H
#define CASYNCIO_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct asyncio_loop asyncio_loop_t;
struct port_loop;  /* a port's per-loop state (poller, wake-up fd, ...) */
struct step_watch; /* the core's slow-step counters (core/internal.h) */

/* A task stack. The port's record of it sits in the stack memory's top
 * bytes: the usable stack is [port_stack_lo(s), (char *)s), growing down
 * towards lo. Defined by the port (port_inline.h). */
typedef struct port_stack port_stack_t;

#define PORT_FOREVER UINT64_MAX

/* Monotonic time in microseconds; any origin. */
uint64_t port_now_us(void);

/* Creates / destroys the port state of a loop. NULL when out of resources. */
struct port_loop *port_loop_open(asyncio_loop_t *loop);
void port_loop_close(struct port_loop *p);

/* Waits until port_now_us() >= deadline_us (PORT_FOREVER: no deadline; 0 or a
 * past deadline: do not block), an I/O event, or port_wake(). Events found are
 * delivered to the core (I/O waiters woken) before it returns. Must never
 * return before the deadline unless something happened; may return after.
 * While it blocks, the slow-step watch rests. */
void port_poll(struct port_loop *p, uint64_t deadline_us);

/* True if port_poll() has anything to check (registered fds, a wake-up
 * pending): the core skips the call when it would only cost a system call. */
bool port_poll_needed(struct port_loop *p);

/* Wakes the loop from another thread, an interrupt or a signal handler:
 * async-signal-safe. */
void port_wake(struct port_loop *p);

/* Starts (threshold_us > 0) or stops watching `w` for slow steps while the
 * loop of `p` runs: every so often (a fraction of the threshold) the port
 * compares w->steps with what it saw last; when the same step has been
 * running for the threshold, outside port_poll(), it stores the step in
 * w->slow_step and the low 32 bits of port_now_us() when it first saw it
 * in w->slow_since_us. The core calls
 * this when the loop starts and stops running. */
void port_watch(struct port_loop *p, struct step_watch *w);

/* Task stacks. `size` usable bytes at least (a port may round up). NULL when
 * out of memory, or (adopt) when the memory cannot hold a stack. */
port_stack_t *port_stack_alloc(size_t size);
port_stack_t *port_stack_adopt(void *mem, size_t size); /* caller's memory, not freed */
void port_stack_free(port_stack_t *s);
void *port_stack_lo(const port_stack_t *s);
size_t port_stack_size(const port_stack_t *s); /* usable bytes */
/* Bytes of the stack that have ever been used (high-water mark). */
size_t port_stack_used(const port_stack_t *s);

/* Provided by the core for the port's diagnostics: the running task's stack
 * and name (NULLs outside a task). Safe to call from a signal handler. */
void core_running_task(const port_stack_t **stack, const char **name);

/* A critical section against interrupt handlers (and, where threads exist,
 * other threads) for the few words shared with them. Not reentrant. */
uint32_t port_critical_enter(void);
void port_critical_exit(uint32_t state);

/* Atomic load / store of a pointer shared with another thread, an interrupt
 * handler or a signal handler (sequentially consistent; async-signal-safe).
 * On a single-core MCU a plain volatile access is enough. */
void *port_atomic_load_ptr(void *const volatile *p);
void port_atomic_store_ptr(void *volatile *p, void *v);

/* Diagnostics: writes bytes to stderr (host) or the UART (RP2040), and names
 * an errno value ("Connection reset by peer"; a short table on small ports). */
void port_console_write(const char *s, size_t n);
const char *port_strerror(int errnum);

#include "asyncio_port_config.h"

/* Environment variable lookup: NULL where there is no environment. A port
 * without one (a board) sets PORT_HAS_ENVIRONMENT to 0 in its
 * asyncio_port_config.h: the lookup is then this inline NULL, and what the
 * core does with an answer (ASYNCIO_VIRTUAL_TIME=1: virtual time) folds
 * away at compile time. */
#if !defined(PORT_HAS_ENVIRONMENT)
#define PORT_HAS_ENVIRONMENT 1
#endif
#if PORT_HAS_ENVIRONMENT
const char *port_getenv(const char *name);
#else
static inline const char *port_getenv(const char *name) {
    (void)name;
    return NULL;
}
#endif

/* Where the core's memory comes from (its records, task stacks, buffers):
 * the C library's malloc, realloc and free, unless the port's
 * asyncio_port_config.h defines PORT_MALLOC, PORT_REALLOC and PORT_FREE,
 * all three, with the same contract (errno aside: the core sets its own).
 * What the core allocates it frees itself; no block crosses the API. */
#if !defined(PORT_MALLOC)
#include <stdlib.h>
#define PORT_MALLOC(n)     malloc(n)
#define PORT_REALLOC(p, n) realloc(p, n)
#define PORT_FREE(p)       free(p)
#endif

/* The port's inline part. It defines struct port_stack,
 * PORT_THREAD_LOCAL (the storage class of the core's per-thread
 * state: _Thread_local where threads may each run a loop, empty on a port
 * with one thread) and:
 *
 *   uint32_t port_atomic_swap(volatile uint32_t *p, uint32_t v);
 *
 * which atomically replaces *p with v and returns the old value (safe
 * against interrupt handlers, threads and signal handlers), and
 *
 *   void port_switch_begin(void **save, port_stack_t *from, port_stack_t *to, bool ending);
 *   void port_switch_end(void *save);
 *
 * called around every stack switch: `from` is the stack being left and `to`
 * the one entered (NULL: the loop's own stack); begin checks `from` for an
 * overflow and tells sanitizers; `ending` is true for the last switch away
 * from a finished task. end runs on the stack entered, with what begin
 * stored in *save (NULL on a task's first entry). */
#include "port_inline.h"

#if !defined(PORT_THREAD_LOCAL)
#error "the port's port_inline.h must define PORT_THREAD_LOCAL"
#endif

/* A port whose CPUs each run a loop of their own (pico-sdk: both cores of
 * the RP2040) defines, in port_inline.h, PORT_CPUS (how many) and
 *
 *   unsigned port_cpu(void);
 *
 * (the index of the CPU that calls it, 0 .. PORT_CPUS - 1): the core then
 * keeps one running loop and one default loop per CPU. Otherwise one. */
#if !defined(PORT_CPUS)
#define PORT_CPUS 1u
static inline unsigned port_cpu(void) { return 0u; }
#endif

/* A port whose port_poll() can tell when the loop waits in it touching
 * nothing of the loop's until it returns (one CPU, asleep in WFE) defines,
 * in port_inline.h, PORT_POLL_QUIET and
 *
 *   bool port_poll_quiet(struct port_loop *p);
 *
 * true then, for the holder of the port's critical section (an interrupt
 * handler): it may change the loop's state itself, as the loop would right
 * after the poll (driver_isr_wake makes its task ready at once). The port
 * marks the wait quiet on entry and ends that before port_poll() returns.
 * Otherwise never. */
#if !defined(PORT_POLL_QUIET)
static inline bool port_poll_quiet(struct port_loop *p) {
    (void)p;
    return false;
}
#endif

#endif
