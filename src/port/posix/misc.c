/* Small services of the POSIX port: critical sections, atomics, environment,
 * diagnostics. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../port.h"

/* Only call_soon_threadsafe's ring is guarded with it: other threads, never
 * signal handlers (they use asyncio_flag_set, which takes no lock). */
static pthread_mutex_t critical = PTHREAD_MUTEX_INITIALIZER;

uint32_t port_critical_enter(void) {
    pthread_mutex_lock(&critical);
    return 0;
}

void port_critical_exit(uint32_t state) {
    (void)state;
    pthread_mutex_unlock(&critical);
}

void *port_atomic_load_ptr(void *const volatile *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }

void port_atomic_store_ptr(void *volatile *p, void *v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }

const char *port_getenv(const char *name) { return getenv(name); }

void port_console_write(const char *s, size_t n) {
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0) return;
        s += w;
        n -= (size_t)w;
    }
}

const char *port_strerror(int errnum) { return strerror(errnum); }
