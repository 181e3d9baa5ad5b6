/*
 * The stream layer's lower edge: what a transport (an fd, a UART, a USB CDC
 * interface, an lwIP TCP PCB) gives the portable stream of stream.c, and
 * what the stream gives back. libuv's uv_stream_t in spirit: buffering,
 * read, readexactly, readline, write, drain, write_eof and close are written
 * once, in the core; a transport moves bytes and says when it can move more.
 *
 * The stream calls the transport's operations from a task or from loop
 * context, never from an interrupt. The transport calls the two
 * notifications in loop context (a driver_deferred_t record's fn, when its
 * interrupt handler has seen something): they wake the stream's waiting
 * tasks, which then call read_some / write_some again. A notification with
 * no task waiting costs nothing, so a transport may notify freely.
 */
#ifndef CASYNCIO_STREAM_TRANSPORT_H
#define CASYNCIO_STREAM_TRANSPORT_H

#include "asyncio_stream.h"
#include "driver.h"

typedef struct stream_transport_ops {
    /* Non-blocking. >0 bytes read, 0 at end of stream, -EAGAIN when nothing
     * now (the transport will call stream_notify_readable later), or -errno. */
    ssize_t (*read_some)(asyncio_stream_t *s, void *buf, size_t n);
    /* Non-blocking. bytes accepted (>0), -EAGAIN when no room now
     * (stream_notify_writable follows), or -errno (-EPIPE, -ECONNRESET...). */
    ssize_t (*write_some)(asyncio_stream_t *s, const void *buf, size_t n);
    /* Optional (NULL = all accepted bytes count as sent): 1 when every byte
     * accepted so far has left (UART TX empty, TCP acked), 0 if not yet
     * (a stream_notify_writable follows when it changes, or see
     * sent_all_recheck_us). */
    int (*sent_all)(asyncio_stream_t *s);
    /* Optional: half-close (write_eof). NULL: nothing to do beyond refusing
     * later writes. 0 or -errno. */
    int (*shutdown_write)(asyncio_stream_t *s);
    /* Releases the transport's resources (fd, PCB, IRQ). Called once, by
     * asyncio_stream_close, after the stream's waiting tasks were woken;
     * the stream calls no operation after it. */
    void (*close)(asyncio_stream_t *s);
    /* Optional: resets the connection, dropping what the transport still
     * holds to send (asyncio_stream_abort); close follows later. NULL:
     * nothing to reset. */
    void (*abort)(asyncio_stream_t *s);
    /* Optional: bytes the transport holds that read_some would return now
     * (a UART's RX ring); asyncio_stream_buffered adds them to the stream's. */
    size_t (*buffered)(const asyncio_stream_t *s);
    /* Optional, for a transport that is not told when its last bytes have
     * left (a UART's FIFO raises no interrupt when it empties): after
     * sent_all() said 0, how long drain waits before asking again, in
     * microseconds; 0 (or NULL): a stream_notify_writable will come. */
    uint32_t (*sent_all_recheck_us)(asyncio_stream_t *s);
    /* false (the default): write() never suspends; what write_some does not
     * take now is queued in the stream (unbounded) and sent as the
     * transport notifies room. true: the transport's own buffer is the
     * queue (a UART's TX ring): write() suspends while write_some says
     * -EAGAIN, writers take turns so each write stays whole, and a write
     * interrupted partway returns the count accepted. Outside a task,
     * write_some must then take everything (by polling). */
    bool write_waits;
} stream_transport_ops_t;

/* Allocates a stream (malloc, or NULL -> errno ENOMEM) bound to `loop`
 * (NULL: to no loop, for a transport that serves whichever loop runs the
 * reading task), with `ops` and the transport's own data pointer
 * (stream_transport_data(s)). The read buffer's limit starts at
 * ASYNCIO_STREAM_DEFAULT_LIMIT. */
asyncio_stream_t *stream_new(asyncio_loop_t *loop, const stream_transport_ops_t *ops,
                             void *transport);
void *stream_transport_data(const asyncio_stream_t *s);
/* The ops given to stream_new: which kind of transport s is over. */
const stream_transport_ops_t *stream_transport_ops(const asyncio_stream_t *s);
/* The loop given to stream_new. */
asyncio_loop_t *stream_loop(const asyncio_stream_t *s);
/* True once asyncio_stream_close has been called (tasks may still be
 * inside calls on it, on their way out with -EBADF). */
bool stream_closed(const asyncio_stream_t *s);

/* Transport -> stream, loop context: readiness changed (wake readers / flush
 * the write buffer and wake writers and drainers). `err` < 0: the transport
 * failed (sticky, delivered to the next read/write), 0 otherwise. */
void stream_notify_readable(asyncio_stream_t *s, int err);
void stream_notify_writable(asyncio_stream_t *s, int err);

#endif
