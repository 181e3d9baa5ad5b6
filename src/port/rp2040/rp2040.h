/*
 * What the files of the RP2040 port share with each other (not a public API).
 */
#ifndef CASYNCIO_RP2040_H
#define CASYNCIO_RP2040_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Start-up, in this order, from the reset handler. */
/* XOSC, PLL_SYS 125 MHz, clk_peri, 1 MHz TIMER tick, resets released
 * (boot2.S: it fills the boot loader's spare bytes). */
void rp2040_clocks_init(void);
void rp2040_uart_init(void);  /* UART0 on GPIO 0/1, 115200 8N1 */
void rp2040_timer_init(void); /* ALARM0 interrupt for the idle loop */

/* UART0 as a text console: "\n" goes out as "\r\n" for terminal programs. */
void rp2040_uart_write(const char *s, size_t n);
void rp2040_uart_flush(void);
int rp2040_uart_getc(void); /* a received byte, or -1 if none is waiting */
/* Sets UART0's baud rate (clk_peri 125 MHz): 0, or -EINVAL out of range. */
int rp2040_uart_set_baud(uint32_t baud);

/* While a UART stream is open it owns UART0 (uart_stream.c): the console's
 * bytes then go through its rings, so console and stream output never mix
 * mid-write and neither side steals the other's input. NULL: polled console. */
struct rp2040_uart_owner {
    void (*put)(uint8_t c); /* queue one byte; may poll when the ring is full */
    void (*flush)(void);    /* send everything queued, by polling */
    int (*get)(void);       /* a received byte, or -1 */
};
extern const struct rp2040_uart_owner *volatile rp2040_uart_owner;

/* Stops the CPU for good with interrupts off (the emulator runner reports a
 * CPU sleeping with PRIMASK set as "halted"). */
_Noreturn void rp2040_halt(void);
/* Writes a report (the core's report(): %s, %u, %x, %d; at most two
 * arguments) on the console from the top of the main stack, then halts. */
_Noreturn void rp2040_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Interrupt handlers the vector table points at. */
void rp2040_isr_timer_alarm0(void);
/* Set by watch.c: port_poll() calls it with true before it sleeps, false after. */
extern void (*rp2040_watch_rest)(bool rest);
void rp2040_isr_timer_alarm1(void);
void rp2040_isr_io_bank0(void);
void rp2040_isr_uart0(void);

/* NVIC: enables one of IRQ 2..25 (enabling twice is harmless), and links
 * their vectors (vectors_irq.c), which firmware without it goes without. */
void rp2040_irq_enable_high(unsigned irq);
/* For the vector table: reports the exception number and halts. */
void rp2040_unexpected_irq(void);

#endif
