/*
 * asyncio_stream_t over a UART of the RP2040 or the RP2350: a transport
 * (stream_transport.h) of ring buffers between the PL011's 32-byte FIFOs and
 * the stream, moved by the UART's interrupt. The stream calls themselves are
 * the core's (core/stream.c); this file has the rings, the handler, the
 * console hand-over and open/close. Which UARTs may be opened, and what
 * else uses them, is the port's (uart.h: the bare-metal port's console on
 * UART0; on pico-sdk either UART, unless stdio or the program has it).
 *
 * The handler empties the RX FIFO into the RX ring, always (a full ring drops
 * and counts: a FIFO left unread would keep the RX timeout interrupt
 * asserted), and refills the TX FIFO from the TX ring. It records what
 * happened (bytes arrived, room made in the TX ring) and signals a deferred
 * record; the record's function, in loop context, turns that into the
 * stream's notifications. The TX ring is the stream's write queue
 * (write_waits): writers wait for room in it, in turn.
 *
 * The PL011 raises its TX interrupt when the FIFO level falls through the
 * trigger level, not for a FIFO that is already low: the thread side starts
 * each transmission by filling the FIFO itself ("kick") and unmasks TXIM only
 * while the ring holds more; the handler masks it once the ring is empty. No
 * interrupt says when the FIFO's last character has left the wire: drain
 * asks again after each character's time (sent_all_recheck_us).
 *
 * The TX ring is touched only with interrupts masked (the console may write
 * from anywhere). The RX ring has one producer (the handler) and one consumer
 * (the reader), so its indices need no lock: free-running counters, the
 * handler writes rx_head only, the reader rx_tail only.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "../../core/stream_transport.h"
#include "irq.h"
#include "rp2_dividers.h"
#include "rp2_periph_regs.h"
#include "uart.h"

_Static_assert((ASYNCIO_UART_RX_SIZE & (ASYNCIO_UART_RX_SIZE - 1u)) == 0 &&
                   (ASYNCIO_UART_TX_SIZE & (ASYNCIO_UART_TX_SIZE - 1u)) == 0,
               "UART ring sizes must be powers of two");

#define UART_RX_MASK (ASYNCIO_UART_RX_SIZE - 1u)
#define UART_TX_MASK (ASYNCIO_UART_TX_SIZE - 1u)

/* A compiler barrier: on one core, the order the handler sees is program
 * order once the compiler keeps it. */
#define UART_BARRIER() __asm volatile("" ::: "memory")

/* What the handler saw, for the deferred record's function. */
enum { UART_SAW_RX = 1u << 0, UART_SAW_ROOM = 1u << 1 };

struct uart_ring {
    uint8_t rx[ASYNCIO_UART_RX_SIZE];
    uint8_t tx[ASYNCIO_UART_TX_SIZE];
    volatile uint32_t rx_head, rx_tail; /* bytes ever stored / ever read */
    volatile uint32_t tx_head, tx_tail; /* bytes ever queued / ever sent */
    volatile uint32_t rx_dropped;
    volatile uint32_t saw; /* UART_SAW_*, set by the handler */
    driver_deferred_t deferred;
    asyncio_stream_t *stream; /* NULL while closed */
    uint32_t char_us;         /* one 10-bit character on the wire, rounded up */
    uint32_t base;            /* the UART's registers */
    uint8_t id;               /* its number */
};

/* One set of rings per UART a stream may open (RP2_UART_STREAMS, the port's
 * rp2_chip.h), static, so opening one never allocates them. */
static struct uart_ring rings[RP2_UART_STREAMS];

/* A register of the ring's UART. */
#define UR(u, reg) RP2_REG((u)->base + (reg))

static uint32_t tx_queued(const struct uart_ring *u) { return u->tx_head - u->tx_tail; }
static uint32_t rx_count(const struct uart_ring *u) { return u->rx_head - u->rx_tail; }

/* ---- the interrupt side ------------------------------------------------------ */

/* Moves ring bytes into the TX FIFO while it has room; interrupts masked. */
static uint32_t tx_fill_fifo(struct uart_ring *u) {
    uint32_t sent = 0;
    while (tx_queued(u) && !(UR(u, PL011_FR) & PL011_FR_TXFF)) {
        UR(u, PL011_DR) = u->tx[u->tx_tail++ & UART_TX_MASK];
        sent++;
    }
    return sent;
}

/* Starts or continues sending; interrupts masked. */
static void tx_kick(struct uart_ring *u) {
    tx_fill_fifo(u);
    if (tx_queued(u)) UR(u, PL011_IMSC) |= PL011_INT_TX;
}

static uint32_t rx_from_fifo(struct uart_ring *u) {
    uint32_t saw = 0;
    while (!(UR(u, PL011_FR) & PL011_FR_RXFE)) {
        uint32_t data = UR(u, PL011_DR);
        uint32_t head = u->rx_head;
        if (data & PL011_DR_OE) u->rx_dropped++;
        if (head - u->rx_tail < ASYNCIO_UART_RX_SIZE) {
            u->rx[head & UART_RX_MASK] = (uint8_t)data;
            UART_BARRIER(); /* the byte before the index that publishes it */
            u->rx_head = head + 1u;
        } else {
            u->rx_dropped++;
        }
        saw = UART_SAW_RX;
    }
    return saw;
}

static uint32_t tx_from_isr(struct uart_ring *u) {
    if (!(UR(u, PL011_IMSC) & PL011_INT_TX)) return 0;
    uint32_t saw = tx_fill_fifo(u) ? UART_SAW_ROOM : 0;
    if (!tx_queued(u)) {
        UR(u, PL011_IMSC) &= ~PL011_INT_TX;
        UR(u, PL011_ICR) = PL011_INT_TX;
        saw = UART_SAW_ROOM;
    }
    return saw;
}

static void uart_isr(struct uart_ring *u) {
    UR(u, PL011_ICR) = PL011_INT_RX | PL011_INT_RT | PL011_INT_OE;
    uint32_t saw = rx_from_fifo(u) | tx_from_isr(u);
    if (saw) {
        u->saw |= saw; /* the thread side swaps it with interrupts masked */
        driver_deferred_signal(&u->deferred);
    }
}

static void uart0_isr(void) { uart_isr(&rings[0]); }
#if RP2_UART_STREAMS > 1
static void uart1_isr(void) { uart_isr(&rings[1]); }
#endif

/* Installs UART `uart`'s handler (NULL: removes it): 0, or -EBUSY where the
 * line belongs to someone else (pico-sdk: a shared handler on it). */
static int uart_set_handler(unsigned uart, bool install) {
    rp2_irq_handler_t h = uart0_isr;
#if RP2_UART_STREAMS > 1
    if (uart) h = uart1_isr;
#endif
    return rp2_irq_set_handler(RP2_IRQ_UART(uart), install ? h : NULL);
}

/* Loop context: what the handler saw becomes the stream's notifications. */
static void uart_saw(driver_deferred_t *d) {
    struct uart_ring *u =
        (struct uart_ring *)(void *)((char *)d - offsetof(struct uart_ring, deferred));
    uint32_t saw = port_atomic_swap(&u->saw, 0);
    if (!u->stream) return;
    if (saw & UART_SAW_RX) stream_notify_readable(u->stream, 0);
    if (saw & UART_SAW_ROOM) stream_notify_writable(u->stream, 0);
}

/* The stream is about to wait for the handler: its record must be on the
 * waiting task's loop (the first wait adds it; later ones find it there). */
static void uart_listen(struct uart_ring *u) {
    driver_deferred_add(asyncio_get_event_loop(), &u->deferred);
}

/* ---- the TX ring from thread code ----------------------------------------------- */

/* Copies what fits of p[0..n) into the TX ring and starts sending; returns
 * how many bytes it took. Any context. */
static size_t tx_put(struct uart_ring *u, const uint8_t *p, size_t n) {
    uint32_t state = port_critical_enter();
    size_t room = ASYNCIO_UART_TX_SIZE - tx_queued(u);
    if (n > room) n = room;
    uint32_t at = u->tx_head & UART_TX_MASK;
    size_t first = ASYNCIO_UART_TX_SIZE - at < n ? ASYNCIO_UART_TX_SIZE - at : n;
    memcpy(&u->tx[at], p, first);
    memcpy(u->tx, p + first, n - first);
    u->tx_head += (uint32_t)n;
    tx_kick(u);
    port_critical_exit(state);
    return n;
}

/* Sends by polling while the ring is full: everything in the ring, then
 * `p` (for the console, and writers outside a task). */
static void tx_put_polling(struct uart_ring *u, const uint8_t *p, size_t n) {
    for (;;) {
        size_t put = tx_put(u, p, n);
        p += put;
        n -= put;
        if (!n) return;
        uint32_t state = port_critical_enter();
        while (UR(u, PL011_FR) & PL011_FR_TXFF) {
        }
        tx_fill_fifo(u);
        port_critical_exit(state);
    }
}

/* The TX FIFO is empty and the last character has left the wire. */
static bool tx_idle(const struct uart_ring *u) {
    return (UR(u, PL011_FR) & (PL011_FR_TXFE | PL011_FR_BUSY)) == PL011_FR_TXFE;
}

static void tx_flush_polling(struct uart_ring *u) {
    uint32_t state = port_critical_enter();
    while (tx_queued(u)) {
        while (UR(u, PL011_FR) & PL011_FR_TXFF) {
        }
        tx_fill_fifo(u);
    }
    port_critical_exit(state);
}

/* ---- the transport ------------------------------------------------------------------ */

static struct uart_ring *ring_of(const asyncio_stream_t *s) { return stream_transport_data(s); }

static ssize_t uart_read_some(asyncio_stream_t *s, void *buf, size_t n) {
    struct uart_ring *u = ring_of(s);
    uint32_t avail = rx_count(u);
    if (!avail) {
        uart_listen(u);
        return -EAGAIN;
    }
    uint32_t take = avail < n ? avail : (uint32_t)n;
    uint32_t at = u->rx_tail & UART_RX_MASK;
    uint32_t first = ASYNCIO_UART_RX_SIZE - at < take ? ASYNCIO_UART_RX_SIZE - at : take;
    memcpy(buf, &u->rx[at], first);
    memcpy((uint8_t *)buf + first, u->rx, take - first);
    UART_BARRIER(); /* copied before the handler may store over them */
    u->rx_tail += take;
    return (ssize_t)take;
}

static ssize_t uart_write_some(asyncio_stream_t *s, const void *buf, size_t n) {
    struct uart_ring *u = ring_of(s);
    if (!asyncio_current_task()) { /* cannot wait for room: poll */
        tx_put_polling(u, buf, n);
        return (ssize_t)n;
    }
    size_t put = tx_put(u, buf, n);
    if (put) return (ssize_t)put;
    uart_listen(u);
    return -EAGAIN;
}

static int uart_sent_all(asyncio_stream_t *s) {
    struct uart_ring *u = ring_of(s);
    if (!tx_queued(u) && tx_idle(u)) return 1;
    uart_listen(u);
    return 0;
}

/* The ring's emptying raises an interrupt; the FIFO's does not. */
static uint32_t uart_sent_all_recheck_us(asyncio_stream_t *s) {
    struct uart_ring *u = ring_of(s);
    return tx_queued(u) ? 0 : u->char_us;
}

static size_t uart_buffered(const asyncio_stream_t *s) { return rx_count(ring_of(s)); }

/* ---- the console, while the stream owns UART0 ------------------------------------ */

/* The console is UART0's (uart.h: the bare-metal port's). */
static void console_put(uint8_t c) { tx_put_polling(&rings[0], &c, 1); }

static void console_flush(void) { tx_flush_polling(&rings[0]); }

static int console_get(void) {
    struct uart_ring *u = &rings[0];
    if (u->rx_head == u->rx_tail) return -1;
    int c = u->rx[u->rx_tail & UART_RX_MASK];
    UART_BARRIER();
    u->rx_tail++;
    return c;
}

static const struct rp2_uart_owner console_through_stream = {console_put, console_flush,
                                                             console_get};

/* ---- opening and closing -------------------------------------------------------- */

/* Back to the polled console, or to the port. Outside a task what is
 * queued is sent by polling; inside one the stream has drained it already,
 * or it is discarded (the drain failed). */
static void uart_close(asyncio_stream_t *s) {
    struct uart_ring *u = ring_of(s);
    if (!asyncio_current_task()) tx_flush_polling(u);
    uint32_t state = port_critical_enter();
    rp2_irq_disable(RP2_IRQ_UART(u->id));
    UR(u, PL011_IMSC) = 0;
    u->tx_tail = u->tx_head;
    rp2_uart_stream_console(u->id, NULL);
    u->stream = NULL;
    port_critical_exit(state);
    uart_set_handler(u->id, false);
    rp2_uart_stream_release(u->id);
}

static const stream_transport_ops_t uart_ops = {
    .read_some = uart_read_some,
    .write_some = uart_write_some,
    .sent_all = uart_sent_all,
    .close = uart_close,
    .buffered = uart_buffered,
    .sent_all_recheck_us = uart_sent_all_recheck_us,
    .write_waits = true,
};

/* The UART at `baud`, 8N1, FIFOs on, its interrupts set for the rings. */
static void uart_setup(struct uart_ring *u, uint32_t ibrd, uint32_t fbrd) {
    UR(u, PL011_IBRD) = ibrd;
    UR(u, PL011_FBRD) = fbrd;
    UR(u, PL011_LCR_H) = PL011_LCR_H_WLEN_8 | PL011_LCR_H_FEN; /* also latches the divisors */
    UR(u, PL011_CR) = PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE;
    UR(u, PL011_IFLS) = PL011_IFLS_TX_QUARTER | PL011_IFLS_RX_HALF;
    UR(u, PL011_ICR) = PL011_INT_RX | PL011_INT_TX | PL011_INT_RT | PL011_INT_OE;
    UR(u, PL011_IMSC) = PL011_INT_RX | PL011_INT_RT | PL011_INT_OE;
}

asyncio_stream_t *asyncio_stream_uart(unsigned uart, uint32_t baud) {
    uint32_t ibrd, fbrd;
    if (uart >= RP2_UART_STREAMS || rp2_uart_divisors(baud, &ibrd, &fbrd)) {
        errno = EINVAL;
        return NULL;
    }
    struct uart_ring *u = &rings[uart];
    if (u->stream) {
        errno = EBUSY;
        return NULL;
    }
    int err = rp2_uart_stream_claim(uart);
    if (err) {
        errno = -err;
        return NULL;
    }
    asyncio_stream_t *s = NULL;
    err = uart_set_handler(uart, true);
    if (!err) s = stream_new(NULL, &uart_ops, u); /* serves the loop of its reader */
    if (!s) {
        int saved = err ? -err : errno;
        if (!err) uart_set_handler(uart, false);
        rp2_uart_stream_release(uart);
        errno = saved;
        return NULL;
    }
    asyncio_stream_set_limit(s, ASYNCIO_UART_RX_SIZE); /* a buffer as big as the ring */
    u->rx_head = u->rx_tail = u->tx_head = u->tx_tail = u->rx_dropped = u->saw = 0;
    u->deferred.fn = uart_saw;
    u->char_us = (10u * 1000000u + baud - 1u) / baud;
    u->base = RP2_UART_BASE(uart);
    u->id = (uint8_t)uart;
    u->stream = s;
    uart_setup(u, ibrd, fbrd);
    rp2_uart_stream_console(uart, &console_through_stream);
    rp2_irq_enable(RP2_IRQ_UART(uart)); /* a request left from the last close is dropped */
    return s;
}

uint32_t asyncio_stream_uart_rx_dropped(const asyncio_stream_t *s) {
    return s ? ring_of(s)->rx_dropped : 0;
}
