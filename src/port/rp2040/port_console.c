/*
 * The console (UART0) for the core and the runtime's system calls;
 * ../cortex-m/port_sys.c has the rest of what the core asks of the system,
 * ../cortex-m/error_names.c the errors' names.
 */
#include <stddef.h>

#include "../../core/driver.h"
#include "../../drivers/rp2/uart.h"
#include "../cortex-m/cortexm.h"

void port_console_write(const char *s, size_t n) { rp2_uart_write(s, n); }

int cortexm_console_getc(void) { return rp2_uart_getc(); }

