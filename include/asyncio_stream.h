/*
 * casyncio — asynchronous I/O: waiting on file descriptors, buffered
 * streams, TCP clients and servers (POSIX).
 *
 * Conventions are those of asyncio.h: every call marked "suspends" is only
 * valid inside a task (outside one it returns -EPERM and does nothing),
 * returns -ECANCELED once its task is cancelled and -ETIMEDOUT once an
 * enclosing timeout scope expires. A cancelled or timed-out call loses no
 * data: bytes already received stay in the stream's buffer for the next read,
 * bytes already accepted by asyncio_stream_write stay queued for sending.
 *
 * Errors are negative errno values: the ones of the underlying system calls
 * (-ECONNRESET, -EPIPE, -ECONNREFUSED, ...) plus the few named below.
 *
 * SIGPIPE never kills the process: sockets are written with MSG_NOSIGNAL, and
 * the first stream made over a non-socket fd (a pipe, a tty) sets SIGPIPE to
 * SIG_IGN if it still has its default action. A write to a closed peer
 * returns -EPIPE (or -ECONNRESET).
 *
 * While a task waits on an fd, the loop counts it as waiting on something
 * external: with virtual time the loop does not declare a deadlock, it blocks
 * in the poller. While any fd is registered, the loop checks the poller
 * (without blocking) at least once per pass over the ready queue, so a task
 * that only yields cannot starve I/O.
 */
#ifndef ASYNCIO_STREAM_H
#define ASYNCIO_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h> /* ssize_t */

#include "asyncio.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Waiting on file descriptors                                              */
/* ------------------------------------------------------------------------ */

/* Suspends until `fd` is readable (asyncio_wait_readable) or writable
 * (asyncio_wait_writable). The fd stays the caller's: it is registered with
 * the loop's poller only while a task waits on it. Several tasks may wait on
 * different fds, and on the same fd (a reader and a writer, or several of
 * each: all are woken).
 *
 * Returns, once woken:
 *   0             the fd is ready. Readiness is a hint: the following read()
 *                 or write() may still fail with EAGAIN (another task got
 *                 there first); call again then. A readable fd may be at end
 *                 of file (TCP peer closed: read() returns 0).
 *   -EPIPE        the other end hung up (EPOLLHUP) and, for a reader, nothing
 *                 is left to read: a pipe whose writers are all closed and
 *                 that is empty, a socket shut down both ways. A reader is
 *                 woken with 0 instead while data (or a socket's EOF) remains.
 *   -Exxx         an error is pending on the fd (EPOLLERR): for a socket its
 *                 SO_ERROR (read, and so cleared: -ECONNRESET, -ECONNREFUSED
 *                 after a non-blocking connect, ...), otherwise -EPIPE.
 *                 Readers and writers of the fd are all woken with it.
 *   -EBADF        fd is not open, or it was closed with asyncio_close_fd()
 *                 while the task waited. An fd closed with plain close()
 *                 under a waiter is noticed within a second (its identity is
 *                 checked when a waiter has waited that long; real-time loops
 *                 only): use asyncio_close_fd() to wake waiters at once.
 *   -EEXIST       fd is owned by an asyncio_stream_t (wait on the stream).
 *   -ECANCELED, -ETIMEDOUT, -EPERM as for every suspending call.
 * A regular file is always ready (0 at once), as poll(2) says.
 */
int asyncio_wait_readable(int fd);
int asyncio_wait_writable(int fd);

/* Wakes every task of the running (else default) loop waiting on `fd` with
 * -EBADF, removes fd from the poller, then close()s it. Returns 0, or the
 * negative errno of close(). Does not suspend. */
int asyncio_close_fd(int fd);

/* ------------------------------------------------------------------------ */
/* Streams                                                                  */
/* ------------------------------------------------------------------------ */

/* A byte stream over one fd (a TCP socket, a pipe, a tty or serial device),
 * with a read buffer and a write buffer. Opaque; made by
 * asyncio_stream_from_fd, asyncio_open_connection or a server, and freed by
 * asyncio_stream_close. One task at a time may read from a stream (a second
 * concurrent reader gets -EBUSY); any number may write. */
typedef struct asyncio_stream asyncio_stream_t;

/* Default and bounds of the read buffer's limit (see asyncio_stream_set_limit). */
#define ASYNCIO_STREAM_DEFAULT_LIMIT (64u * 1024u)
#define ASYNCIO_STREAM_MIN_LIMIT     64u

/* Wraps an open fd in a stream, on the running (else default) loop. The
 * stream takes the fd over: it sets O_NONBLOCK on it (which the open file
 * description shares with every dup of it, e.g. a shell's terminal) and
 * closes it in asyncio_stream_close. A regular file works too (it never
 * blocks). Returns NULL with errno = EBADF (bad fd), EEXIST (already a
 * stream's or being waited on), ENOMEM. The fd is not closed on failure. */
asyncio_stream_t *asyncio_stream_from_fd(int fd);

/* The stream's fd (for setsockopt, tcgetattr, ...); -1 for NULL. The fd stays
 * the stream's: do not close it, do not read or write it directly. */
int asyncio_stream_fd(const asyncio_stream_t *s);

/* Sets how far the read buffer may grow ahead of the reader: asyncio_stream_read
 * never buffers more than `limit` bytes. readexactly(n) and readline(n) may grow
 * it to n when n is larger, since they must hold n bytes before returning.
 * `limit` is clamped to at least ASYNCIO_STREAM_MIN_LIMIT. Returns 0, -EINVAL
 * for NULL. The buffer is released while the stream has nothing buffered and
 * its reader waits, so an idle connection holds no buffer. */
int asyncio_stream_set_limit(asyncio_stream_t *s, size_t limit);

/* Bytes received and not yet read (in the stream's read buffer). */
size_t asyncio_stream_buffered(const asyncio_stream_t *s);

/* Reads up to n bytes into buf. Returns at once with what is buffered when
 * anything is; otherwise suspends until some bytes arrive. Returns the number
 * of bytes read (1..n), 0 at end of file (or for n == 0), or a negative errno
 * (-ECONNRESET, -EBADF if the stream was closed meanwhile, -EBUSY if another
 * task is reading, -EINVAL for NULL arguments, -ECANCELED, -ETIMEDOUT). */
ssize_t asyncio_stream_read(asyncio_stream_t *s, void *buf, size_t n);

/* Reads exactly n bytes. Suspends until they have all arrived. Returns n, or
 * -EPIPE when the stream ends first: then nothing is consumed, every byte that
 * did arrive stays buffered (asyncio_stream_read / asyncio_stream_buffered see
 * them). On -ECANCELED / -ETIMEDOUT / an I/O error nothing is consumed either. */
ssize_t asyncio_stream_readexactly(asyncio_stream_t *s, void *buf, size_t n);

/* Reads one line, through its '\n' inclusive, into buf (not NUL-terminated).
 * Suspends until a whole line is buffered. Returns its length (1..n), or:
 *   -EMSGSIZE  no '\n' within the first n bytes: the line does not fit in buf.
 *              Nothing is consumed: read the line in parts with
 *              asyncio_stream_read, or call again with a bigger buffer.
 *   1..n       at end of file, a last line without '\n' is returned as it is
 *              (as Python's readline does): check buf[len - 1].
 *   0          end of file with nothing buffered.
 *   the errors of asyncio_stream_read. Nothing is consumed on any error. */
ssize_t asyncio_stream_readline(asyncio_stream_t *s, void *buf, size_t n);

/* Queues n bytes for sending and returns n at once (never suspends, and works
 * outside a task too). When nothing is queued the bytes
 * go straight to the kernel; what it does not take is copied into the write
 * buffer and sent by the loop as the fd becomes writable, whether or not
 * anyone drains. The write buffer is unbounded: call asyncio_stream_drain to
 * wait for it to empty (back-pressure). Returns a negative errno instead when
 * the stream has failed (-EPIPE, -ECONNRESET: the error that stopped it),
 * after asyncio_stream_write_eof (-EPIPE), -ENOMEM, -EINVAL for NULL. */
ssize_t asyncio_stream_write(asyncio_stream_t *s, const void *buf, size_t n);

/* Suspends until the write buffer is empty (every byte written has been
 * taken by the kernel). Returns 0 at once, without switching, if it already
 * is. Returns the stream's write error (-EPIPE, -ECONNRESET) if sending
 * failed: the unsent bytes are then discarded. On -ECANCELED / -ETIMEDOUT the
 * bytes stay queued. */
int asyncio_stream_drain(asyncio_stream_t *s);

/* Drains, then shuts the sending direction down (TCP FIN; for other fds,
 * nothing more may be written). The peer reads end of file; this stream can
 * still read. Suspends like drain; returns 0 or drain's errors. */
int asyncio_stream_write_eof(asyncio_stream_t *s);

/* Closes the stream and frees it; the handle is consumed whatever the result.
 * Inside a task it first drains (suspending until the kernel has taken the
 * queued bytes); if that fails or is cancelled or timed out, the bytes left
 * are discarded and the error returned, but the stream is still closed. Outside
 * a task it sends what the kernel takes at once and discards the rest
 * (returning -EAGAIN if anything was discarded). Other tasks waiting in a call
 * on this stream return -EBADF; the memory is released when the last of them
 * has left. Returns 0 when every queued byte was handed to the kernel,
 * -EINVAL for NULL. A stream may outlive its loop: after asyncio_loop_close()
 * it can still be closed (as outside a task: the fd is closed, the stream
 * freed). The handle must not be used again (closing it twice is a use after
 * free, as with free()). */
int asyncio_stream_close(asyncio_stream_t *s);

/* Gives up on the connection at once: the bytes still queued are discarded
 * and a TCP connection is reset (the kernel, or lwIP, sends RST and drops
 * what it holds; the peer's next read fails with -ECONNRESET). Every call
 * on the stream from then on, and every task waiting in one, returns
 * -ECONNRESET; asyncio_stream_close, still needed to free the stream, then
 * has nothing to drain and returns at once. For a server that gives up on a
 * client that does not read. On a pipe or a serial port only the queued
 * bytes are dropped. Does not suspend. Returns 0, or -EINVAL for NULL or a
 * closed stream. */
int asyncio_stream_abort(asyncio_stream_t *s);

/* ------------------------------------------------------------------------ */
/* TCP                                                                      */
/* ------------------------------------------------------------------------ */

/* Opens a TCP connection to host:port (IPv4 or IPv6). `host` may be a numeric
 * address ("127.0.0.1", "::1", used directly) or a name: a name is looked up
 * with getaddrinfo() in a short-lived worker thread, which wakes the waiting
 * task through an eventfd of its own (not through the loop: a lookup abandoned
 * by a cancelled task, or outliving its loop, touches nothing of either). The
 * addresses found are tried in order. Suspends during the lookup and the
 * connect. On success *out is a new stream (TCP_NODELAY set) owned by the
 * caller, who closes it with asyncio_stream_close, and the result is 0.
 * Errors: -ECONNREFUSED, -ETIMEDOUT, -ENETUNREACH, ... (the last address's),
 * -ENOENT when the name does not resolve, -EINVAL for NULL arguments,
 * -ENOMEM, -ECANCELED. *out is set to NULL on error. */
int asyncio_open_connection(const char *host, uint16_t port, asyncio_stream_t **out);

/* A listening TCP server. Opaque. */
typedef struct asyncio_server asyncio_server_t;

/* A client handler: runs in a new detached task (named "asyncio-client";
 * a shared-stack one with asyncio_server_opts_t.shared_stack) for each
 * accepted connection, with the server's `arg`. The stream belongs to
 * the server: it is closed (asyncio_stream_close: drained, then closed) right
 * after the handler returns, so the handler must not close it nor keep it.
 * The handler's return value is the task's result: a negative one is reported
 * to the loop's exception handler, like any detached task's failure. */
typedef int (*asyncio_client_fn)(asyncio_stream_t *stream, void *arg);

/* Listens on host:port and serves each client with cb(stream, arg) in its own
 * task. host NULL or "" means every interface (0.0.0.0 and ::); a name may
 * resolve to several addresses, and the server listens on each. port 0 picks
 * a free port (see asyncio_server_port). backlog <= 0 means SOMAXCONN.
 * SO_REUSEADDR is set. A name is looked up as in asyncio_open_connection (the
 * call then suspends; outside a task the lookup blocks, as no loop runs).
 * Returns the server, accepting from the running (else default) loop, or NULL
 * with errno set (EADDRINUSE, EACCES, ENOENT for an unknown name, EINVAL for a
 * NULL cb, ENOMEM, ECANCELED, ...). */
asyncio_server_t *asyncio_start_server(asyncio_client_fn cb, void *arg, const char *host,
                                       uint16_t port, int backlog);

/* How a server listens and runs its client handlers (asyncio_start_server_ex).
 * Zero-initialised, it is what asyncio_start_server gives. */
typedef struct {
    int backlog;       /* connections the system queues until accepted; <= 0: its
                          most (SOMAXCONN; 255 with lwIP) */
    bool shared_stack; /* each handler in a shared-stack task: see below */
} asyncio_server_opts_t;

/* asyncio_start_server with options (and suspending as it does, for a name
 * lookup). With shared_stack, every client handler (and the server's own
 * code around it) runs as a shared-stack task
 * (asyncio_task_opts_t.shared_stack, asyncio.h): while it waits it keeps
 * only the bytes its frames use, a few hundred for a handler suspended in a
 * read, instead of the pages its own stack has touched (at least 4 KiB on
 * the host). Each of its switches copies those bytes out and back in.
 *
 * Choose it for servers that hold many connections that are mostly idle
 * (waiting for a request, a keep-alive, an event stream), whose handlers
 * wait a few calls deep with small locals. Keep the default for handlers
 * that wait with large buffers on their stack (a 16 KiB local is copied at
 * every switch: put it on the heap instead) or deep in recursion.
 *
 * What such a handler must not do: let anything outside it keep a pointer to
 * its locals across a suspension. While it waits its frames are elsewhere
 * and another handler's are on the shared stack. So no event, lock, queue or
 * buffer on its stack handed to another task, a callback or a global (a task
 * group there is refused: EINVAL); objects it shares go in static or heap
 * memory. Its own waits, reads into its own locals, timeout scopes, awaits
 * and cancellation need no care.
 *
 * Errors as asyncio_start_server's, and ENOTSUP for shared_stack where the
 * port offers no shared-stack tasks (the RP2040, pico-sdk, the host's
 * ucontext build). opts NULL: the defaults. */
asyncio_server_t *asyncio_start_server_ex(asyncio_client_fn cb, void *arg, const char *host,
                                          uint16_t port, const asyncio_server_opts_t *opts);

/* The port the server listens on (useful after port 0); 0 for NULL. */
uint16_t asyncio_server_port(const asyncio_server_t *srv);

/* Number of client tasks of the server still running. */
size_t asyncio_server_clients(const asyncio_server_t *srv);

/* Stops accepting: the listening sockets are closed at once (new connections
 * are refused). Clients being served go on. Idempotent; does not suspend. The
 * handle stays valid until asyncio_server_wait_closed. */
void asyncio_server_close(asyncio_server_t *srv);

/* Suspends until the server has been closed (by asyncio_server_close, from
 * any task) and every client task has ended, then frees the server. Returns
 * 0. If the caller is cancelled or its timeout scope expires first, the server
 * is closed, its clients are cancelled and waited for, it is freed, and
 * -ECANCELED / -ETIMEDOUT is returned. Consumes srv except on -EPERM / -EINVAL
 * (NULL, or another task already waits on it). */
int asyncio_server_wait_closed(asyncio_server_t *srv);

/* ------------------------------------------------------------------------ */
/* RP2040 / RP2350: a stream over a UART                                    */
/* ------------------------------------------------------------------------ */

#if defined(CASYNCIO_PORT_RP2040) || defined(CASYNCIO_PORT_PICO_SDK)

/* The ring buffer sizes, ASYNCIO_UART_RX_SIZE and ASYNCIO_UART_TX_SIZE
 * (256 each), are the port's configuration (asyncio_port_config.h). To
 * change them, define them for the casyncio library build
 * (target_compile_definitions), not for one file. */

/* Opens UART `uart` as a stream, 8N1 at `baud`. The UART's interrupt fills
 * an RX ring and empties a TX ring. Returns the stream, or NULL with errno =
 * EINVAL (no such UART here; baud outside 120 .. 7,812,500 at clk_peri
 * 125 MHz) or EBUSY (already open, or someone else's: see pico-sdk below).
 * Does not suspend.
 *
 * Bare metal (CASYNCIO_PORT_RP2040): UART 0 only (GPIO 0 TX, GPIO 1 RX).
 * UART0 is also the console: while the stream is open, console output
 * (printf) is queued in the TX ring after what the stream has queued (it may
 * land between the parts of a write that waits for room), console input
 * (stdin) is taken from the RX ring (do not read both), and `baud` applies
 * to the console too, also after the stream is closed.
 *
 * pico-sdk: UART 0 (GPIO 0 TX, 1 RX) or 1 (GPIO 4 TX, 5 RX; other pins
 * through ASYNCIO_UART<n>_TX_PIN / _RX_PIN, asyncio_port_config.h). A UART
 * already enabled, the one stdio_uart prints on or one the program set up
 * with uart_init(), is not taken over: EBUSY (stdio_uart_deinit() or
 * uart_deinit() gives it up); so is one whose interrupt line has a shared
 * handler of the program's. Closing the stream removes its handler and holds
 * the UART in reset.
 *
 * On a UART stream the calls above behave as documented, except that:
 *  - a UART never reaches end of file: read never returns 0 (for n > 0),
 *    readexactly never fails with -EPIPE (it waits for all n bytes), a
 *    readline without '\n' never ends early;
 *  - bytes wait in the RX ring until a read takes them into the stream's
 *    buffer, whose limit starts at ASYNCIO_UART_RX_SIZE; bytes that arrive
 *    while the ring is full are dropped and counted
 *    (asyncio_stream_uart_rx_dropped); asyncio_stream_buffered counts the
 *    bytes in the ring too;
 *  - write copies into the TX ring and suspends only while the ring is full
 *    or an earlier write is still waiting for room (writes stay whole and in
 *    order). Cancelled or timed out partway, it returns the count queued so
 *    far (they stay queued), or the error when none was. Outside a task it
 *    sends by polling while the ring is full (it blocks, never fails);
 *  - drain returns once the ring and the UART's FIFO are empty and the last
 *    character has left the wire;
 *  - close, inside a task, drains first; if that fails (cancelled, timed
 *    out) what is left is discarded and the error returned. Outside a task
 *    it sends what is queued by polling. Either way it masks the interrupt
 *    and hands the UART back (bare metal: UART0 to the polled console;
 *    pico-sdk: into reset); tasks still waiting in a
 *    call on the stream return -EBADF; the stream may be opened again;
 *  - write_eof drains and then refuses later writes (-EPIPE): a UART has
 *    no end of stream to send;
 *  - asyncio_stream_fd and the fd and TCP calls are not available. */
asyncio_stream_t *asyncio_stream_uart(unsigned uart, uint32_t baud);

/* Bytes lost on input since the stream was opened: received while the RX
 * ring was full, or overrun in the UART's FIFO. 0 for NULL. */
uint32_t asyncio_stream_uart_rx_dropped(const asyncio_stream_t *s);

#endif /* CASYNCIO_PORT_RP2040 || CASYNCIO_PORT_PICO_SDK */

/* ------------------------------------------------------------------------ */
/* pico-sdk: a stream over the USB serial port                              */
/* ------------------------------------------------------------------------ */

#ifdef CASYNCIO_PORT_PICO_SDK

/* Opens the USB serial port (CDC interface 0) as a stream. The program is
 * built with pico-sdk's stdio_usb (pico_enable_stdio_usb(app 1)), which
 * brings the USB device up; printf keeps writing to the same port beside
 * the stream. Use it from tasks on the core that set stdio up (core 0),
 * where the SDK runs the USB stack. Returns the stream, or NULL with
 * errno = EBUSY (already open) or ENOMEM. Does not suspend.
 *
 * On the USB stream the calls above behave as documented, except that:
 *  - the port never reaches end of file (read never returns 0 for n > 0);
 *    a host that closes its terminal simply stops sending;
 *  - while no terminal is open on the host (DTR off), written bytes are
 *    dropped, as pico-sdk drops printf's;
 *  - drain returns once TinyUSB's TX FIFO has been handed to the USB
 *    controller;
 *  - while the stream is open it owns stdio's chars-available callback
 *    (stdio_set_chars_available_callback), and stdin (getchar) must not be
 *    read beside it;
 *  - write_eof refuses later writes (-EPIPE): a serial port has no end of
 *    stream to send; asyncio_stream_fd and the fd and TCP calls are not
 *    available. */
asyncio_stream_t *asyncio_stream_usb_cdc(void);

#endif /* CASYNCIO_PORT_PICO_SDK */

#ifdef __cplusplus
}
#endif
#endif /* ASYNCIO_STREAM_H */
