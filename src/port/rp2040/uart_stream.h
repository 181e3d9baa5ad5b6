/*
 * What the two files of the UART stream share (uart_stream.c: the rings, the
 * interrupt, opening and closing; uart_stream_io.c: the stream calls).
 */
#ifndef CASYNCIO_RP2040_UART_STREAM_H
#define CASYNCIO_RP2040_UART_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asyncio_stream.h"

_Static_assert((ASYNCIO_UART_RX_SIZE & (ASYNCIO_UART_RX_SIZE - 1u)) == 0 &&
                   (ASYNCIO_UART_TX_SIZE & (ASYNCIO_UART_TX_SIZE - 1u)) == 0,
               "UART ring sizes must be powers of two");

#define UART_RX_MASK (ASYNCIO_UART_RX_SIZE - 1u)
#define UART_TX_MASK (ASYNCIO_UART_TX_SIZE - 1u)

/* A compiler barrier: on one core, the order the handler sees is program
 * order once the compiler keeps it. */
#define UART_BARRIER() __asm volatile("" ::: "memory")

struct asyncio_stream {
    uint8_t rx[ASYNCIO_UART_RX_SIZE];
    uint8_t tx[ASYNCIO_UART_TX_SIZE];
    volatile uint32_t rx_head, rx_tail; /* bytes ever stored / ever read */
    volatile uint32_t tx_head, tx_tail; /* bytes ever queued / ever sent */
    volatile uint32_t rx_dropped;
    asyncio_flag_t rx_flag;    /* set by the handler: bytes arrived */
    asyncio_flag_t room_flag;  /* set by the handler: TX ring bytes sent */
    asyncio_flag_t empty_flag; /* set by the handler: TX ring empty */
    asyncio_lock_t write_lock, drain_lock;
    uint32_t char_us; /* one 10-bit character on the wire, rounded up */
    bool open, reading;
};

static inline uint32_t uart_tx_queued(const struct asyncio_stream *s) {
    return s->tx_head - s->tx_tail;
}

static inline uint32_t uart_rx_count(const struct asyncio_stream *s) {
    return s->rx_head - s->rx_tail;
}

/* Copies what fits of p[0..n) into the TX ring and starts sending; returns
 * how many bytes it took. Any context. */
size_t uart_tx_put(struct asyncio_stream *s, const uint8_t *p, size_t n);
/* Queues all n bytes, sending by polling while the ring is full. */
void uart_tx_put_polling(struct asyncio_stream *s, const uint8_t *p, size_t n);
/* The TX FIFO is empty and the last character has left the wire. */
bool uart_tx_idle(void);

#endif
