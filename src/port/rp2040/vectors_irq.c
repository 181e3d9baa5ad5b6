/*
 * The vector table's entries for IRQ 2..25, placed by rp2040.ld right after
 * the 16 system vectors and IRQ 0..1 of startup.c.
 *
 * Firmware links this file only when it enables one of those interrupts,
 * through rp2040_irq_enable_high(): a GPIO edge wait (machine_edge.c), a
 * UART stream (uart_stream.c). The others end their table at IRQ 1, 96
 * bytes shorter; the NVIC never reads the vector of a line that was never
 * enabled. Built without link-time optimisation (port.cmake), so that it
 * stays an archive member pulled in by that one reference.
 */
#include "regs.h"
#include "rp2040.h"

typedef void (*vector_fn)(void);

/* Overridden by machine_edge.c, uart_stream.c and irq_dispatch.c (the
 * handlers drivers install with rp2_irq_set_handler), when linked; else the
 * exception number goes to the console. */
static void unhandled_irq(void) { rp2040_unexpected_irq(); }
void rp2040_isr_io_bank0(void) __attribute__((weak, alias("unhandled_irq")));
void rp2040_isr_uart0(void) __attribute__((weak, alias("unhandled_irq")));
void rp2040_isr_dispatch(void) __attribute__((weak, alias("unhandled_irq")));
#define UNUSED rp2040_isr_dispatch

// clang-format off
__attribute__((section(".vectors.irq"), used))
const vector_fn casyncio_vectors_irq[24] = {
    /* IRQ 2..12 */
    UNUSED, UNUSED, UNUSED, UNUSED, UNUSED, UNUSED, UNUSED, UNUSED, UNUSED, UNUSED, UNUSED,
    /* IRQ 13: IO_IRQ_BANK0 (GPIO edges) */
    rp2040_isr_io_bank0,
    UNUSED, UNUSED, UNUSED, UNUSED, UNUSED, UNUSED,
    /* IRQ 20: UART0_IRQ (the UART stream) */
    rp2040_isr_uart0,
    /* IRQ 21..25; the NVIC's lines 26..31 are tied to zero. */
    UNUSED, UNUSED, UNUSED, UNUSED, UNUSED,
};
// clang-format on

void rp2040_irq_enable_high(unsigned irq) { REG(NVIC_ISER) = 1u << irq; }
