/*
 * asyncio_stream_t over UART0 on the RP2040: ring buffers between the
 * PL011's 32-byte FIFOs and the tasks, moved by the UART0 interrupt. This
 * file has the rings, the handler, the console hand-over and open/close; the
 * stream calls are in uart_stream_io.c.
 *
 * The handler empties the RX FIFO into the RX ring, always (a full ring drops
 * and counts: a FIFO left unread would keep the RX timeout interrupt
 * asserted), and refills the TX FIFO from the TX ring. It wakes tasks through
 * ThreadSafeFlags, one per condition: bytes arrived, room in the TX ring, TX
 * ring empty. One task reads at a time (-EBUSY), and writers and drainers
 * queue on a lock each, so at most one task waits on each flag and no set is
 * handed to a task that cannot use it.
 *
 * The PL011 raises its TX interrupt when the FIFO level falls through the
 * trigger level, not for a FIFO that is already low: the thread side starts
 * each transmission by filling the FIFO itself ("kick") and unmasks TXIM only
 * while the ring holds more; the handler masks it once the ring is empty.
 *
 * The TX ring is touched only with interrupts masked (the console may write
 * from anywhere). The RX ring has one producer (the handler) and one consumer
 * (the reader), so its indices need no lock: free-running counters, the
 * handler writes rx_head only, the reader rx_tail only.
 */
#include <errno.h>
#include <string.h>

#include "../port.h"
#include "regs.h"
#include "rp2040.h"
#include "uart_stream.h"

/* UART0 only: one stream, static, so opening it never allocates. */
static struct asyncio_stream uart0;

/* ---- the interrupt side ------------------------------------------------------ */

/* Moves ring bytes into the TX FIFO while it has room; interrupts masked. */
static uint32_t tx_fill_fifo(struct asyncio_stream *s) {
    uint32_t sent = 0;
    while (uart_tx_queued(s) && !(REG(UART_FR) & UART_FR_TXFF)) {
        REG(UART_DR) = s->tx[s->tx_tail++ & UART_TX_MASK];
        sent++;
    }
    return sent;
}

/* Starts or continues sending; interrupts masked. */
static void tx_kick(struct asyncio_stream *s) {
    tx_fill_fifo(s);
    if (uart_tx_queued(s)) {
        REG(UART_IMSC) |= UART_INT_TX;
    }
}

static void rx_from_fifo(struct asyncio_stream *s) {
    bool any = false;
    while (!(REG(UART_FR) & UART_FR_RXFE)) {
        uint32_t data = REG(UART_DR);
        uint32_t head = s->rx_head;
        if (data & UART_DR_OE) {
            s->rx_dropped++;
        }
        if (head - s->rx_tail < ASYNCIO_UART_RX_SIZE) {
            s->rx[head & UART_RX_MASK] = (uint8_t)data;
            UART_BARRIER(); /* the byte before the index that publishes it */
            s->rx_head = head + 1u;
        } else {
            s->rx_dropped++;
        }
        any = true;
    }
    if (any) {
        asyncio_flag_set(&s->rx_flag);
    }
}

void rp2040_isr_uart0(void) {
    struct asyncio_stream *s = &uart0;
    REG(UART_ICR) = UART_INT_RX | UART_INT_RT | UART_INT_OE;
    rx_from_fifo(s);
    if (!(REG(UART_IMSC) & UART_INT_TX)) {
        return;
    }
    if (tx_fill_fifo(s)) {
        asyncio_flag_set(&s->room_flag);
    }
    if (!uart_tx_queued(s)) {
        REG(UART_IMSC) &= ~UART_INT_TX;
        REG(UART_ICR) = UART_INT_TX;
        asyncio_flag_set(&s->empty_flag);
    }
}

/* ---- the TX ring from thread code ----------------------------------------------- */

size_t uart_tx_put(struct asyncio_stream *s, const uint8_t *p, size_t n) {
    uint32_t state = port_critical_enter();
    size_t room = ASYNCIO_UART_TX_SIZE - uart_tx_queued(s);
    if (n > room) {
        n = room;
    }
    uint32_t at = s->tx_head & UART_TX_MASK;
    size_t first = ASYNCIO_UART_TX_SIZE - at < n ? ASYNCIO_UART_TX_SIZE - at : n;
    memcpy(&s->tx[at], p, first);
    memcpy(s->tx, p + first, n - first);
    s->tx_head += (uint32_t)n;
    tx_kick(s);
    port_critical_exit(state);
    return n;
}

/* For the console and for writers that cannot suspend. */
void uart_tx_put_polling(struct asyncio_stream *s, const uint8_t *p, size_t n) {
    while (n) {
        size_t put = uart_tx_put(s, p, n);
        p += put;
        n -= put;
        if (n) {
            uint32_t state = port_critical_enter();
            while (REG(UART_FR) & UART_FR_TXFF) {
            }
            tx_fill_fifo(s);
            port_critical_exit(state);
        }
    }
}

bool uart_tx_idle(void) { return (REG(UART_FR) & (UART_FR_TXFE | UART_FR_BUSY)) == UART_FR_TXFE; }

/* ---- the console, while the stream owns UART0 ------------------------------------ */

static void console_put(uint8_t c) { uart_tx_put_polling(&uart0, &c, 1); }

static void console_flush(void) {
    uint32_t state = port_critical_enter();
    while (uart_tx_queued(&uart0)) {
        while (REG(UART_FR) & UART_FR_TXFF) {
        }
        tx_fill_fifo(&uart0);
    }
    port_critical_exit(state);
}

static int console_get(void) {
    struct asyncio_stream *s = &uart0;
    if (s->rx_head == s->rx_tail) {
        return -1;
    }
    int c = s->rx[s->rx_tail & UART_RX_MASK];
    UART_BARRIER();
    s->rx_tail++;
    return c;
}

static const struct rp2040_uart_owner console_through_stream = {console_put, console_flush,
                                                                console_get};

/* ---- opening and closing -------------------------------------------------------- */

asyncio_stream_t *asyncio_stream_uart(unsigned uart, uint32_t baud) {
    struct asyncio_stream *s = &uart0;
    if (uart != 0) {
        errno = EINVAL;
        return NULL;
    }
    if (s->open) {
        errno = EBUSY;
        return NULL;
    }
    rp2040_uart_flush(); /* the console's last bytes leave at the old rate */
    int err = rp2040_uart_set_baud(baud);
    if (err) {
        errno = -err;
        return NULL;
    }
    /* Flags and locks are left as they are: tasks that were waiting on the
     * last incarnation may still be on their way out. */
    s->rx_head = s->rx_tail = s->tx_head = s->tx_tail = s->rx_dropped = 0;
    asyncio_flag_clear(&s->rx_flag);
    asyncio_flag_clear(&s->room_flag);
    asyncio_flag_clear(&s->empty_flag);
    s->char_us = (10u * 1000000u + baud - 1u) / baud;
    s->open = true;
    REG(UART_IFLS) = UART_IFLS_TX_QUARTER | UART_IFLS_RX_HALF;
    REG(UART_ICR) = UART_INT_RX | UART_INT_TX | UART_INT_RT | UART_INT_OE;
    REG(UART_IMSC) = UART_INT_RX | UART_INT_RT | UART_INT_OE;
    rp2040_uart_owner = &console_through_stream;
    REG(NVIC_ICPR) = 1u << IRQ_UART0; /* stale from the last close */
    rp2040_irq_enable_high(IRQ_UART0);
    return s;
}

uint32_t asyncio_stream_uart_rx_dropped(const asyncio_stream_t *s) { return s ? s->rx_dropped : 0; }

/* Back to the polled console; queued bytes are sent by polling, or
 * discarded. Waiting tasks wake, see the stream closed and return -EBADF. */
static void uart_stream_shut(struct asyncio_stream *s, bool send_rest) {
    if (send_rest) {
        console_flush();
    }
    uint32_t state = port_critical_enter();
    REG(NVIC_ICER) = 1u << IRQ_UART0;
    REG(UART_IMSC) = 0;
    s->tx_tail = s->tx_head;
    rp2040_uart_owner = NULL;
    s->open = false;
    port_critical_exit(state);
    asyncio_flag_set(&s->rx_flag);
    asyncio_flag_set(&s->room_flag);
    asyncio_flag_set(&s->empty_flag);
}

int asyncio_stream_close(asyncio_stream_t *s) {
    if (!s) {
        return -EINVAL;
    }
    if (!s->open) {
        return -EBADF;
    }
    int err = asyncio_current_task() ? asyncio_stream_drain(s) : 0;
    uart_stream_shut(s, err == 0);
    return err;
}
