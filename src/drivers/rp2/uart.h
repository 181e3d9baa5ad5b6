/*
 * UART0 as the console of the bare-metal port (uart.c), and what the UART
 * stream (uart_stream.c) asks of a port. The console is polled, so it works from start-up, fault
 * handlers and interrupt handlers.
 *
 * Like every driver here, it takes the chip as the port's start-up leaves
 * it: clocks running (clk_peri at RP2_CLK_PERI_HZ, asyncio_port_config.h)
 * and the peripherals out of reset.
 */
#ifndef CASYNCIO_RP2_UART_H
#define CASYNCIO_RP2_UART_H

#include <stddef.h>
#include <stdint.h>

/* UART0 on GPIO 0 (TX) / 1 (RX), 115200 8N1: the port's start-up calls it. */
void rp2_uart_console_init(void);

/* The console: "\n" goes out as "\r\n" for terminal programs. */
void rp2_uart_write(const char *s, size_t n);
void rp2_uart_flush(void);
int rp2_uart_getc(void); /* a received byte, or -1 if none is waiting */
/* Sets UART0's baud rate: 0, or -EINVAL out of range for clk_peri. */
int rp2_uart_set_baud(uint32_t baud);

/* While a UART stream is open it owns UART0 (uart_stream.c): the console's
 * bytes then go through its rings, so console and stream output never mix
 * mid-write and neither side steals the other's input. NULL: polled console. */
struct rp2_uart_owner {
    void (*put)(uint8_t c); /* queue one byte; may poll when the ring is full */
    void (*flush)(void);    /* send everything queued, by polling */
    int (*get)(void);       /* a received byte, or -1 */
};
extern const struct rp2_uart_owner *volatile rp2_uart_owner;

/* What a UART stream (uart_stream.c) asks of its port, for UART `uart`
 * (< RP2_UART_STREAMS): the bare-metal port's console file (uart.c) for
 * UART0, the console; the pico-sdk port's uart_port.c for UART0 and 1.
 *
 * claim: the UART is the stream's from now on, out of reset, its pins
 * routed to it; nothing of the console's left in its FIFO. 0, or -EBUSY
 * when something else uses it (pico-sdk: stdio_uart, or the program's own
 * uart_init: the UART is already enabled). */
int rp2_uart_stream_claim(unsigned uart);

/* While the stream is open, the console (if it runs on this UART) goes
 * through `owner`; NULL: back to the polled console. */
void rp2_uart_stream_console(unsigned uart, const struct rp2_uart_owner *owner);

/* The stream is closed: the UART goes back to whoever had it before
 * (the console), or is held in reset again (pico-sdk). */
void rp2_uart_stream_release(unsigned uart);

#endif
