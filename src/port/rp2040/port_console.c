/*
 * The console (UART0) and errno names for the core and the runtime's
 * system calls; ../cortex-m/port_sys.c has the rest of what the core asks
 * of the system.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "../../core/driver.h"
#include "../../drivers/rp2/uart.h"
#include "../cortex-m/cortexm.h"

void port_console_write(const char *s, size_t n) { rp2_uart_write(s, n); }

int cortexm_console_getc(void) { return rp2_uart_getc(); }

/* The errors a task can end with, by their symbolic names: the names are a
 * third of the length of strerror's texts, just as clear to a C programmer,
 * and they only ever appear in the one-line failure report. -ECANCELED is
 * never reported. Codes and names in the same order. */
static const uint8_t error_codes[] = {EPERM,     EINTR,       EIO,      EBADF,    EAGAIN,
                                      ENOMEM,    EINVAL,      EPIPE,    EDEADLK,  ECONNRESET,
                                      ETIMEDOUT, EINPROGRESS, EMSGSIZE, EOVERFLOW};
static const char error_names[] = "EPERM\0EINTR\0EIO\0EBADF\0EAGAIN\0ENOMEM\0EINVAL\0EPIPE\0"
                                  "EDEADLK\0ECONNRESET\0ETIMEDOUT\0EINPROGRESS\0EMSGSIZE\0"
                                  "EOVERFLOW";

const char *port_strerror(int errnum) {
    static char unknown[sizeof "error " - 1 + 11];
    unsigned value = errnum < 0 ? 0u - (unsigned)errnum : (unsigned)errnum;
    const char *name = error_names;
    for (size_t i = 0; i < sizeof error_codes; i++) {
        if (error_codes[i] == value) {
            return name;
        }
        while (*name++) {
        }
    }
    char *text = report_uint(unknown + 16, value, 10) - 6;
    memcpy(text, "error ", 6);
    return text;
}
