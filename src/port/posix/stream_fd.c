/*
 * The fd transport: a stream (core/stream.c) over a non-blocking file
 * descriptor (a socket, a pipe, a tty or serial device, a regular file).
 *
 * The fd is registered once with the loop's poller as an edge-triggered
 * watch (io.c). read_some and write_some are one system call each; when one
 * says EAGAIN the watch's direction is cleared (the poller reports it again
 * on the next edge), and the watch's events become the stream's
 * notifications.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_internal.h"
#include "stream_fd.h"

struct fd_transport {
    struct io_watch w; /* first member: the poller's tag leads back here */
    int fd;
    bool is_socket;
    asyncio_stream_t *stream;
};

static struct fd_transport *fd_of(const asyncio_stream_t *s) { return stream_transport_data(s); }

static ssize_t fd_read_some(asyncio_stream_t *s, void *buf, size_t n) {
    struct fd_transport *t = fd_of(s);
    for (;;) {
        ssize_t r = t->is_socket ? recv(t->fd, buf, n, 0) : read(t->fd, buf, n);
        if (r >= 0) return r;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            io_watch_clear(&t->w, IO_READABLE);
            return -EAGAIN;
        }
        return io_neg_errno();
    }
}

static ssize_t fd_write_some(asyncio_stream_t *s, const void *buf, size_t n) {
    struct fd_transport *t = fd_of(s);
    for (;;) {
        ssize_t r = t->is_socket ? send(t->fd, buf, n, MSG_NOSIGNAL) : write(t->fd, buf, n);
        if (r >= 0) return r;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            io_watch_clear(&t->w, IO_WRITABLE);
            return -EAGAIN;
        }
        return io_neg_errno();
    }
}

static int fd_shutdown_write(asyncio_stream_t *s) {
    struct fd_transport *t = fd_of(s);
    if (t->is_socket && shutdown(t->fd, SHUT_WR) != 0) return io_neg_errno();
    return 0; /* a pipe or tty: the stream refuses later writes, nothing more */
}

static void fd_close(asyncio_stream_t *s) {
    struct fd_transport *t = fd_of(s);
    io_watch_close(&t->w);
    close(t->fd);
    free(t);
}

/* A socket: SO_LINGER 0 makes its close send RST and drop what the kernel
 * still holds to send, and the shutdown ends both directions now. */
static void fd_abort(asyncio_stream_t *s) {
    struct fd_transport *t = fd_of(s);
    if (!t->is_socket) return;
    struct linger reset = {.l_onoff = 1, .l_linger = 0};
    setsockopt(t->fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    shutdown(t->fd, SHUT_RDWR);
}

static const stream_transport_ops_t fd_ops = {
    .read_some = fd_read_some,
    .write_some = fd_write_some,
    .shutdown_write = fd_shutdown_write,
    .close = fd_close,
    .abort = fd_abort,
};

/* From the poller, loop context: the directions that became ready. */
static void fd_events(struct io_watch *w, uint8_t ready) {
    struct fd_transport *t = (struct fd_transport *)w;
    if (ready & IO_READABLE) stream_notify_readable(t->stream, 0);
    if (ready & IO_WRITABLE) stream_notify_writable(t->stream, 0);
}

asyncio_stream_t *fd_stream_new(asyncio_loop_t *loop, int fd, bool is_socket) {
    struct fd_transport *t = calloc(1, sizeof *t);
    if (!t) {
        errno = ENOMEM;
        return NULL;
    }
    int err = io_watch_open(&t->w, loop, fd);
    if (err) {
        free(t);
        errno = -err;
        return NULL;
    }
    asyncio_stream_t *s = stream_new(loop, &fd_ops, t);
    if (!s) {
        io_watch_close(&t->w);
        free(t);
        errno = ENOMEM;
        return NULL;
    }
    t->w.on_events = fd_events;
    t->fd = fd;
    t->is_socket = is_socket;
    t->stream = s;
    if (!is_socket) io_ignore_sigpipe();
    return s;
}

asyncio_stream_t *asyncio_stream_from_fd(int fd) {
    struct stat st;
    int fl;
    if (fd < 0 || fstat(fd, &st) != 0 || (fl = fcntl(fd, F_GETFL)) < 0) {
        errno = EBADF;
        return NULL;
    }
    asyncio_loop_t *loop = asyncio_get_event_loop();
    if (!loop) {
        errno = ENOMEM;
        return NULL;
    }
    if (!(fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0) return NULL;
    return fd_stream_new(loop, fd, S_ISSOCK(st.st_mode));
}

int asyncio_stream_fd(const asyncio_stream_t *s) {
    return s && !stream_closed(s) && stream_transport_ops(s) == &fd_ops ? fd_of(s)->fd : -1;
}
