/*
 * UART0 (PL011) on GPIO 0 (TX) and GPIO 1 (RX), 115200 8N1: the console.
 */
#include "regs.h"
#include "rp2040.h"

#define CLK_PERI_HZ 125000000u
#define BAUD        115200u
/* The PL011 divides clk_peri by 16 * (IBRD + FBRD / 64). In 1/128ths:
 * 8 * clk_peri / baud = 8680 -> IBRD 67, FBRD (8680 % 128 + 1) / 2 = 52,
 * which gives 115,207 baud (+0.006 %). */
#define BAUD_DIV_128THS (8u * CLK_PERI_HZ / BAUD)
#define UART_IBRD_VALUE (BAUD_DIV_128THS >> 7)
#define UART_FBRD_VALUE (((BAUD_DIV_128THS & 0x7fu) + 1u) / 2u)

void rp2040_uart_init(void) {
    REG(UART_IBRD) = UART_IBRD_VALUE;
    REG(UART_FBRD) = UART_FBRD_VALUE;
    /* The divisors only take effect with a write to LCR_H. */
    REG(UART_LCR_H) = UART_LCR_H_WLEN_8 | UART_LCR_H_FEN;
    REG(UART_CR) = UART_CR_UARTEN | UART_CR_TXE | UART_CR_RXE;
    REG(IO_GPIO_CTRL(0)) = IO_FUNC_UART;
    REG(IO_GPIO_CTRL(1)) = IO_FUNC_UART;
}

static void uart_putc(char c) {
    while (REG(UART_FR) & UART_FR_TXFF) {
    }
    REG(UART_DR) = (uint8_t)c;
}

void rp2040_uart_write(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            uart_putc('\r');
        }
        uart_putc(s[i]);
    }
}

void rp2040_uart_puts(const char *s) {
    while (*s) {
        rp2040_uart_write(s++, 1);
    }
}

void rp2040_uart_put_uint(uint32_t value, unsigned base) {
    char digits[11];
    size_t n = 0;
    do {
        digits[n++] = "0123456789abcdef"[value % base];
        value /= base;
    } while (value && n < sizeof digits);
    while (n) {
        uart_putc(digits[--n]);
    }
}

void rp2040_uart_flush(void) {
    while (REG(UART_FR) & UART_FR_BUSY) {
    }
}

int rp2040_uart_getc(void) {
    if (REG(UART_FR) & UART_FR_RXFE) {
        return -1;
    }
    return (int)(REG(UART_DR) & 0xffu);
}
