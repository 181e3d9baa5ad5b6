/*
 * UART0 (PL011) on GPIO 0 (TX) and GPIO 1 (RX), 115200 8N1: the console.
 *
 * Polled, so it works from start-up, fault handlers and interrupt handlers.
 * While a UART stream is open (uart_stream.c) the stream owns UART0 and the
 * console goes through it (see rp2_uart_owner).
 */
#include <errno.h>

#include "asyncio_port_config.h" /* RP2_CLK_PERI_HZ */
#include "regs.h"
#include "rp2_dividers.h"
#include "uart.h"

#define CONSOLE_BAUD 115200u

const struct rp2_uart_owner *volatile rp2_uart_owner;

/* UART0's registers, reached from its base (see BLOCK_REG in regs.h). */
#define UART(reg) BLOCK_REG(UART0_BASE, reg)

/* The PL011 divides clk_peri by 16 * (IBRD + FBRD / 64). In 1/128ths of that
 * divisor: 8 * clk_peri / baud; at 115200 that is 8680 -> IBRD 67, FBRD
 * (8680 % 128 + 1) / 2 = 52, which gives 115,207 baud (+0.006 %). IBRD must
 * be 1..65535 (FBRD 0 with 65535). */
#define BAUD_DIV(baud) (8u * RP2_CLK_PERI_HZ / (baud))
#define IBRD(div)      ((div) >> 7)
#define FBRD(div)      ((((div)&0x7fu) + 1u) / 2u)

static void set_divisors(uint32_t ibrd, uint32_t fbrd) {
    UART(UART_IBRD) = ibrd;
    UART(UART_FBRD) = fbrd;
    /* The divisors only take effect with a write to LCR_H. */
    UART(UART_LCR_H) = UART_LCR_H_WLEN_8 | UART_LCR_H_FEN;
}

int rp2_uart_set_baud(uint32_t baud) {
    uint32_t ibrd, fbrd;
    if (rp2_uart_divisors(baud, &ibrd, &fbrd)) return -EINVAL;
    set_divisors(ibrd, fbrd);
    return 0;
}

/* The console's divisors are constants: no division at start-up. */
#define CONSOLE_DIV BAUD_DIV(CONSOLE_BAUD)
_Static_assert(FBRD(CONSOLE_DIV) < 64u && IBRD(CONSOLE_DIV) - 1u < 65535u,
               "console baud rate out of the PL011's range");

void rp2_uart_console_init(void) {
    set_divisors(IBRD(CONSOLE_DIV), FBRD(CONSOLE_DIV));
    UART(UART_CR) = UART_CR_UARTEN | UART_CR_TXE | UART_CR_RXE;
    REG(IO_GPIO_CTRL(0)) = IO_FUNC_UART;
    REG(IO_GPIO_CTRL(1)) = IO_FUNC_UART;
}

static void uart_putc(char c) {
    const struct rp2_uart_owner *owner = rp2_uart_owner;
    if (owner) {
        owner->put((uint8_t)c);
        return;
    }
    while (UART(UART_FR) & UART_FR_TXFF) {
    }
    UART(UART_DR) = (uint8_t)c;
}

void rp2_uart_write(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            uart_putc('\r');
        }
        uart_putc(s[i]);
    }
}

void rp2_uart_flush(void) {
    const struct rp2_uart_owner *owner = rp2_uart_owner;
    if (owner) {
        owner->flush();
    }
    while (REG(UART_FR) & UART_FR_BUSY) {
    }
}

int rp2_uart_getc(void) {
    const struct rp2_uart_owner *owner = rp2_uart_owner;
    if (owner) {
        return owner->get();
    }
    if (REG(UART_FR) & UART_FR_RXFE) {
        return -1;
    }
    return (int)(REG(UART_DR) & 0xffu);
}

/* ---- the UART stream's hooks (uart.h): UART0, the console, only ---------- */

int rp2_uart_stream_claim(unsigned uart) {
    (void)uart;       /* 0: the only one (RP2_UART_STREAMS) */
    rp2_uart_flush(); /* the console's last bytes leave at the old rate */
    return 0;
}

void rp2_uart_stream_console(unsigned uart, const struct rp2_uart_owner *owner) {
    (void)uart;
    rp2_uart_owner = owner;
}

void rp2_uart_stream_release(unsigned uart) { (void)uart; /* the console keeps it */ }
