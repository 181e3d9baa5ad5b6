/*
 * UART0 as a polled text console (CMSDK APB UART). qemu passes each byte to
 * its serial back-end (-serial stdio, or stdout with -nographic) at once.
 */
#include <stddef.h>
#include <stdint.h>

#include "an505.h"

/* The baud rate divider must be at least 16; under qemu the rate itself
 * does not matter (the real board's 20 MHz / 174 would be 115200). */
#define UART_BAUDDIV_115200 174u

void an505_uart_init(void) {
    REG(UART_BAUDDIV) = UART_BAUDDIV_115200;
    REG(UART_CTRL) = 0x3u; /* TX and RX enabled, no interrupts */
}

static void put(char c) {
    while (REG(UART_STATE) & UART_STATE_TXFULL) {
    }
    REG(UART_DATA) = (uint8_t)c;
}

void an505_uart_write(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') put('\r');
        put(s[i]);
    }
}

int an505_uart_getc(void) {
    if (!(REG(UART_STATE) & UART_STATE_RXFULL)) return -1;
    return (int)(REG(UART_DATA) & 0xffu);
}
