/*
 * Interrupt masking, the console and errno names for the core.
 */
#include <errno.h>
#include <stdint.h>

#include "../port.h"
#include "regs.h"
#include "rp2040.h"

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

void rp2040_irq_enable(unsigned irq) {
    REG(NVIC_ICPR) = 1u << irq;
    REG(NVIC_ISER) = 1u << irq;
}

const char *port_getenv(const char *name) {
    (void)name;
    return NULL;
}

void port_console_write(const char *s, size_t n) { rp2040_uart_write(s, n); }

static const struct {
    int errnum;
    const char *text;
} error_names[] = {
    {ECANCELED, "Operation canceled"},
    {ETIMEDOUT, "Connection timed out"},
    {ENOMEM, "Out of memory"},
    {EINVAL, "Invalid argument"},
    {EPERM, "Operation not permitted"},
    {EAGAIN, "Resource temporarily unavailable"},
    {EPIPE, "Broken pipe"},
    {ECONNRESET, "Connection reset by peer"},
    {EDEADLK, "Resource deadlock avoided"},
    {EINTR, "Interrupted"},
    {EINPROGRESS, "Operation in progress"},
    {EOVERFLOW, "Value too large"},
    {EMSGSIZE, "Message too long"},
    {EBADF, "Bad file descriptor"},
    {EIO, "Input/output error"},
};

const char *port_strerror(int errnum) {
    static char unknown[sizeof "error 4294967295"];
    unsigned value = errnum < 0 ? 0u - (unsigned)errnum : (unsigned)errnum;
    for (size_t i = 0; i < sizeof error_names / sizeof error_names[0]; i++) {
        if ((unsigned)error_names[i].errnum == value) {
            return error_names[i].text;
        }
    }
    /* Small ports have no snprintf budget: format by hand. */
    char digits[12];
    size_t n = 0, at = 0;
    do {
        digits[n++] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value);
    for (const char *s = "error "; *s;) {
        unknown[at++] = *s++;
    }
    while (n) {
        unknown[at++] = digits[--n];
    }
    unknown[at] = '\0';
    return unknown;
}
