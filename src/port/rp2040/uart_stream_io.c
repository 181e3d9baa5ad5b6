/*
 * The stream calls on the UART stream: reads take bytes out of the RX ring,
 * writes put them into the TX ring, and every wait is a ThreadSafeFlag wait,
 * a lock or a sleep, so cancellation and timeout scopes apply throughout.
 * The rings and the interrupt handler are in uart_stream.c.
 */
#include <errno.h>
#include <string.h>

#include "../../core/driver.h"
#include "rp2040.h"
#include "uart_stream.h"

/* ---- reading ---------------------------------------------------------------------- */

static uint8_t rx_at(const struct asyncio_stream *s, uint32_t i) {
    return s->rx[(s->rx_tail + i) & UART_RX_MASK];
}

static void rx_take(struct asyncio_stream *s, uint8_t *dst, uint32_t n) {
    uint32_t at = s->rx_tail & UART_RX_MASK;
    uint32_t first = ASYNCIO_UART_RX_SIZE - at < n ? ASYNCIO_UART_RX_SIZE - at : n;
    memcpy(dst, &s->rx[at], first);
    memcpy(dst + first, s->rx, n - first);
    UART_BARRIER(); /* copied before the handler may store over them */
    s->rx_tail += n;
}

/* The checks of every reading call; on success the caller is the reader. */
static int reader_enter(struct asyncio_stream *s, const void *buf, size_t n) {
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err) {
        return err;
    }
    if (!s || (!buf && n)) {
        return -EINVAL;
    }
    if (!s->open) {
        return -EBADF;
    }
    if (s->reading) {
        return -EBUSY;
    }
    s->reading = true;
    return 0;
}

static ssize_t reader_leave(struct asyncio_stream *s, ssize_t result) {
    s->reading = false;
    return result;
}

/* Suspends until the handler has stored more bytes (or the stream closed).
 * A set left over from bytes already seen only costs one more look. */
static int rx_wait(struct asyncio_stream *s) {
    int err = asyncio_flag_wait(&s->rx_flag);
    return !err && !s->open ? -EBADF : err;
}

size_t asyncio_stream_buffered(const asyncio_stream_t *s) { return s ? uart_rx_count(s) : 0; }

ssize_t asyncio_stream_read(asyncio_stream_t *s, void *buf, size_t n) {
    int err = reader_enter(s, buf, n);
    if (err) {
        return err;
    }
    while (n && uart_rx_count(s) == 0) {
        if ((err = rx_wait(s))) {
            return reader_leave(s, err);
        }
    }
    uint32_t got = uart_rx_count(s) < n ? uart_rx_count(s) : (uint32_t)n;
    rx_take(s, buf, got);
    return reader_leave(s, got);
}

ssize_t asyncio_stream_readexactly(asyncio_stream_t *s, void *buf, size_t n) {
    int err = reader_enter(s, buf, n);
    if (err) {
        return err;
    }
    if (n > ASYNCIO_UART_RX_SIZE) { /* it could never be held at once */
        return reader_leave(s, -EMSGSIZE);
    }
    while (uart_rx_count(s) < n) {
        if ((err = rx_wait(s))) {
            return reader_leave(s, err);
        }
    }
    rx_take(s, buf, (uint32_t)n);
    return reader_leave(s, (ssize_t)n);
}

ssize_t asyncio_stream_readline(asyncio_stream_t *s, void *buf, size_t n) {
    int err = reader_enter(s, buf, n);
    if (err) {
        return err;
    }
    uint32_t scanned = 0; /* bytes already known to hold no '\n' */
    for (;;) {
        uint32_t avail = uart_rx_count(s);
        uint32_t limit = avail < n ? avail : (uint32_t)n;
        for (; scanned < limit; scanned++) {
            if (rx_at(s, scanned) == '\n') {
                rx_take(s, buf, scanned + 1u);
                return reader_leave(s, (ssize_t)scanned + 1);
            }
        }
        if (avail >= n || avail == ASYNCIO_UART_RX_SIZE) {
            return reader_leave(s, -EMSGSIZE);
        }
        if ((err = rx_wait(s))) {
            return reader_leave(s, err);
        }
    }
}

/* ---- writing ---------------------------------------------------------------------- */

/* The rest of a write that found the ring full, or an earlier write still
 * waiting: writers take turns on the lock, so each write stays whole. */
static ssize_t write_waiting(struct asyncio_stream *s, const uint8_t *p, size_t n, size_t done) {
    int err = asyncio_lock_acquire(&s->write_lock);
    if (err) {
        return done ? (ssize_t)done : err;
    }
    while (done < n) {
        if (!s->open) {
            err = -EBADF;
            break;
        }
        done += uart_tx_put(s, p + done, n - done);
        if (done < n && (err = asyncio_flag_wait(&s->room_flag))) {
            break;
        }
    }
    asyncio_lock_release(&s->write_lock);
    return done ? (ssize_t)done : err;
}

ssize_t asyncio_stream_write(asyncio_stream_t *s, const void *buf, size_t n) {
    if (!s || (!buf && n)) {
        return -EINVAL;
    }
    if (!s->open) {
        return -EBADF;
    }
    const uint8_t *p = buf;
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err == -EPERM) { /* not in a task: cannot suspend, so poll */
        uart_tx_put_polling(s, p, n);
        return (ssize_t)n;
    }
    size_t done = 0;
    if (!asyncio_lock_locked(&s->write_lock)) {
        done = uart_tx_put(s, p, n);
        if (done == n) {
            return (ssize_t)n;
        }
    }
    if (err) { /* cancelled or timed out: what was queued stays queued */
        return done ? (ssize_t)done : err;
    }
    return write_waiting(s, p, n, done);
}

/* ---- draining --------------------------------------------------------------------- */

static int drain_locked(struct asyncio_stream *s) {
    int err = 0;
    while (!err && uart_tx_queued(s)) {
        err = asyncio_flag_wait(&s->empty_flag);
        if (!err && !s->open) {
            err = -EBADF;
        }
    }
    /* The FIFO's last characters leave without an interrupt: look again
     * after each character's time. */
    while (!err && !uart_tx_idle()) {
        err = asyncio_sleep_us(s->char_us);
    }
    return err;
}

int asyncio_stream_drain(asyncio_stream_t *s) {
    if (!s) {
        return -EINVAL;
    }
    if (!s->open) {
        return -EBADF;
    }
    if (!uart_tx_queued(s) && uart_tx_idle()) {
        return 0;
    }
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err) {
        return err;
    }
    if ((err = asyncio_lock_acquire(&s->drain_lock))) {
        return err;
    }
    err = drain_locked(s);
    asyncio_lock_release(&s->drain_lock);
    return err;
}
