/*
 * The console (UART0) and errno names for the core and the shared system
 * calls; ../cortex-m/port_sys.c has the rest of what the core asks of the
 * system.
 */
#include <string.h>

#include "../../core/internal.h"
#include "../cortex-m/cortexm.h"
#include "an505.h"

void port_console_write(const char *s, size_t n) { an505_uart_write(s, n); }

int cortexm_console_getc(void) { return an505_uart_getc(); }

/* A test port with megabytes of memory: newlib's texts. */
const char *port_strerror(int errnum) { return strerror(errnum < 0 ? -errnum : errnum); }
