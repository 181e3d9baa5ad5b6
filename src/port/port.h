/*
 * The port interface: everything the portable core needs from a platform.
 * One implementation per folder under src/port/ (posix, rp2040).
 */
#ifndef CASYNCIO_PORT_H
#define CASYNCIO_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct asyncio_loop asyncio_loop_t;
struct port_loop; /* a port's per-loop state (poller, wake-up fd, ...) */

#define PORT_FOREVER UINT64_MAX

/* Monotonic time in microseconds; any origin. */
uint64_t port_now_us(void);

/* The same clock, read as cheaply as the platform allows, possibly a few
 * milliseconds behind, and wrapping at 32 bits (only differences are used):
 * it spots slow task steps on every switch. */
uint32_t port_coarse_us32(void);

/* Creates / destroys the port state of a loop. NULL when out of resources. */
struct port_loop *port_loop_open(asyncio_loop_t *loop);
void port_loop_close(struct port_loop *p);

/* Waits until port_now_us() >= deadline_us (PORT_FOREVER: no deadline; 0 or a
 * past deadline: do not block), an I/O event, or port_wake(). Events found are
 * delivered to the core (I/O waiters woken) before it returns. Must never
 * return before the deadline unless something happened; may return after. */
void port_poll(struct port_loop *p, uint64_t deadline_us);

/* True if port_poll() has anything to check (registered fds, a wake-up
 * pending): the core skips the call when it would only cost a system call. */
bool port_poll_needed(struct port_loop *p);

/* Wakes the loop from another thread, an interrupt or a signal handler:
 * async-signal-safe. */
void port_wake(struct port_loop *p);

/* Task stacks. A port may round the size up. */
typedef struct port_stack {
    void *lo;       /* lowest usable address */
    size_t size;    /* usable bytes from lo */
    uint32_t flags; /* port private (how it was allocated) */
} port_stack_t;

int port_stack_alloc(port_stack_t *s, size_t size);            /* 0 or -ENOMEM */
void port_stack_adopt(port_stack_t *s, void *lo, size_t size); /* a caller-provided stack */
void port_stack_free(port_stack_t *s);
/* Bytes of the stack that have ever been used (high-water mark). */
size_t port_stack_used(const port_stack_t *s);
/* Before every switch between stacks: checks the stack being left (its
 * canary), remembers the one being entered and its task's name (for an
 * overflow report), and tells sanitizers. `to` and `to_name` are NULL when
 * switching to the loop's own stack; `ending` is true for the last switch
 * away from a finished task. port_switch_end runs on the stack entered, with
 * what begin stored in *save (NULL on a task's first entry). */
void port_switch_begin(void **save, const port_stack_t *to, const char *to_name, bool ending);
void port_switch_end(void *save);

/* A critical section against interrupt handlers (and, where threads exist,
 * other threads) for the few words shared with them. Not reentrant. */
uint32_t port_critical_enter(void);
void port_critical_exit(uint32_t state);

/* Atomically replaces *p with v and returns the old value (ISR/thread/signal safe). */
uint32_t port_atomic_swap(volatile uint32_t *p, uint32_t v);

/* Atomic load / store of a pointer shared with another thread, an interrupt
 * handler or a signal handler (sequentially consistent; async-signal-safe).
 * On a single-core MCU a plain volatile access is enough. */
void *port_atomic_load_ptr(void *const volatile *p);
void port_atomic_store_ptr(void *volatile *p, void *v);

/* Environment variable lookup (NULL where there is no environment). */
const char *port_getenv(const char *name);

/* Diagnostics: writes bytes to stderr (host) or the UART (RP2040), and names
 * an errno value ("Connection reset by peer"; a short table on small ports). */
void port_console_write(const char *s, size_t n);
const char *port_strerror(int errnum);

#endif
