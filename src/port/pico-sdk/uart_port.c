/*
 * The UART stream's port hooks (src/drivers/rp2/uart.h) on pico-sdk: either
 * UART may be opened as a stream, on the pins of asyncio_port_config.h
 * (ASYNCIO_UART0_TX_PIN ...), unless something else already uses it.
 *
 * The UART stdio_uart runs on (or one the program set up with uart_init) is
 * enabled: opening it fails with EBUSY rather than taking it over. stdio
 * writes to its UART by polling, from any context, through the SDK's own
 * driver; a stream beside it would interleave their bytes, and taking the
 * UART would mean replacing the SDK's stdio driver behind the program's back.
 * A program that wants the stream there gives the UART up first
 * (stdio_uart_deinit(), uart_deinit()) or builds without stdio_uart. A UART
 * held in reset, or reset again by uart_deinit(), is free. Closing the
 * stream holds the UART in reset again.
 */
#include <errno.h>

#include "../../drivers/rp2/rp2_port.h"
#include "../../drivers/rp2/uart.h"
#include "asyncio_port_config.h"
#include "hardware/gpio.h"
#include "hardware/structs/resets.h"
#include "hardware/uart.h"

static const uint8_t tx_pin[NUM_UARTS] = {ASYNCIO_UART0_TX_PIN, ASYNCIO_UART1_TX_PIN};
static const uint8_t rx_pin[NUM_UARTS] = {ASYNCIO_UART0_RX_PIN, ASYNCIO_UART1_RX_PIN};

/* Out of reset and enabled: someone's (a UART in reset is not read: its
 * registers are not there to answer). */
static bool uart_in_use(unsigned uart) {
    if (resets_hw->reset & RP2_RESET_UART(uart)) return false;
    return uart_is_enabled(UART_INSTANCE(uart));
}

int rp2_uart_stream_claim(unsigned uart) {
    if (uart_in_use(uart)) return -EBUSY;
    rp2_periph_reset(RP2_RESET_UART(uart));
    rp2_periph_unreset(RP2_RESET_UART(uart));
    /* The RP2350 reaches some pins through UART_AUX (UART_FUNCSEL_NUM). */
    gpio_set_function(tx_pin[uart], UART_FUNCSEL_NUM(UART_INSTANCE(uart), tx_pin[uart]));
    gpio_set_function(rx_pin[uart], UART_FUNCSEL_NUM(UART_INSTANCE(uart), rx_pin[uart]));
    return 0;
}

void rp2_uart_stream_console(unsigned uart, const struct rp2_uart_owner *owner) {
    (void)uart, (void)owner; /* the console is stdio's, never on a stream's UART */
}

void rp2_uart_stream_release(unsigned uart) { rp2_periph_reset(RP2_RESET_UART(uart)); }
