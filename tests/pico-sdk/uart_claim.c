/*
 * Who owns a UART on pico-sdk (check.mjs exit): asyncio_stream_uart takes a
 * UART only while nothing else uses it, and gives it back when closed.
 *   - UART0, where stdio_uart prints: EBUSY, and printf still works;
 *   - UART1 set up by the program with uart_init: EBUSY until uart_deinit;
 *   - UART1 while the program has a shared handler on its interrupt line:
 *     EBUSY until the handler is removed;
 *   - a closed stream's UART is held in reset, and opens again;
 *   - no UART 2, no baud rate of 0: EINVAL.
 * Each step prints a line; the exit status is the first step that failed.
 */
#include <errno.h>
#include <stdio.h>

#include "asyncio.h"
#include "asyncio_stream.h"
#include "hardware/irq.h"
#include "hardware/resets.h"
#include "hardware/uart.h"

static void other_handler(void) {}

/* The stream on UART1, opened and closed; false if it would not open. */
static bool open_and_close(void) {
    asyncio_stream_t *s = asyncio_stream_uart(1, 115200);
    if (!s) return false;
    asyncio_stream_write(s, "x\n", 2);
    return asyncio_stream_close(s) == 0;
}

static bool refused(unsigned uart, uint32_t baud, int err) {
    errno = 0;
    return !asyncio_stream_uart(uart, baud) && errno == err;
}

static bool uart1_in_reset(void) { return (resets_hw->reset & RESETS_RESET_UART1_BITS) != 0; }

int main(void) {
    if (!refused(0, 115200, EBUSY)) return 1;
    printf("UART0 (stdio): EBUSY\n");
    if (!refused(2, 115200, EINVAL) || !refused(1, 0, EINVAL)) return 2;
    printf("UART2, 0 baud: EINVAL\n");

    uart_init(uart1, 9600);
    if (!refused(1, 115200, EBUSY)) return 3;
    uart_deinit(uart1);
    if (!open_and_close()) return 4;
    printf("UART1 after the program's uart_deinit: opened and closed\n");
    if (!uart1_in_reset()) return 5;
    printf("UART1 closed: in reset\n");

    irq_add_shared_handler(UART1_IRQ, other_handler,
                           PICO_SHARED_IRQ_HANDLER_DEFAULT_ORDER_PRIORITY);
    if (!refused(1, 115200, EBUSY)) return 6;
    if (!uart1_in_reset()) return 7; /* the refused open gave it back */
    irq_remove_handler(UART1_IRQ, other_handler);
    printf("UART1 with a shared handler on its line: EBUSY\n");

    if (!open_and_close() || !open_and_close()) return 8;
    printf("UART1 opened again twice\n");
    return 0;
}
