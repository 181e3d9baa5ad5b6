/*
 * Buffered byte streams over a non-blocking fd.
 *
 * Reading: the read buffer holds bytes received and not yet consumed, at
 * rbuf[rpos .. rpos + rlen). It grows (doubling) up to the stream's limit, or
 * to what readexactly / readline need, and is freed while the reader waits
 * with nothing buffered, so an idle connection holds no buffer.
 *
 * Writing: write() hands bytes to the kernel at once while nothing is queued;
 * the rest goes to the write buffer, which the poller's callback
 * (stream_events, loop context) sends as edges say the fd is writable. The
 * invariant: bytes are queued only after a send said EAGAIN, so an edge is
 * due. drain() waits for the queue to empty.
 *
 * Lifetime: tasks inside a suspending call count as users; close marks the
 * stream closing, wakes them with -EBADF, and the last one out frees it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_internal.h"
#include "stream_internal.h"

#include "../../../include/asyncio_stream.h"

#define RBUF_FIRST  4096u /* first allocation of the read buffer */
#define DIRECT_READ 4096u /* reads at least this big skip the buffer when it is empty */

static void stream_events(struct io_watch *w, uint32_t events);

asyncio_stream_t *stream_new(asyncio_loop_t *loop, int fd, bool is_socket) {
    asyncio_stream_t *s = calloc(1, sizeof *s);
    if (!s) {
        errno = ENOMEM;
        return NULL;
    }
    int err = io_watch_open(&s->w, loop, fd);
    if (err) {
        free(s);
        errno = -err;
        return NULL;
    }
    s->w.on_events = stream_events;
    s->fd = fd;
    s->is_socket = is_socket;
    s->limit = ASYNCIO_STREAM_DEFAULT_LIMIT;
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
    return stream_new(loop, fd, S_ISSOCK(st.st_mode));
}

int asyncio_stream_fd(const asyncio_stream_t *s) { return s && !s->closing ? s->fd : -1; }

int asyncio_stream_set_limit(asyncio_stream_t *s, size_t limit) {
    if (!s) return -EINVAL;
    s->limit = limit < ASYNCIO_STREAM_MIN_LIMIT ? ASYNCIO_STREAM_MIN_LIMIT : limit;
    return 0;
}

size_t asyncio_stream_buffered(const asyncio_stream_t *s) { return s ? s->rlen : 0; }

/* ---- entering and leaving a suspending call ---------------------------------------- */

static void stream_free(asyncio_stream_t *s) {
    free(s->rbuf);
    free(s->wbuf);
    free(s);
}

/* The checks of every suspending call; on success the caller is a user. */
static int enter(asyncio_stream_t *s, bool reader) {
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err) return err;
    if (!s) return -EINVAL;
    if (s->closing) return -EBADF;
    if (reader) {
        if (s->reading) return -EBUSY;
        s->reading = true;
    }
    s->users++;
    return 0;
}

static ssize_t leave(asyncio_stream_t *s, bool reader, ssize_t result) {
    if (reader) s->reading = false;
    if (--s->users == 0 && s->closing) stream_free(s);
    return result;
}

/* ---- reading ---------------------------------------------------------------------- */

static void consume(asyncio_stream_t *s, void *dst, size_t n) {
    memcpy(dst, s->rbuf + s->rpos, n);
    s->rpos += n;
    s->rlen -= n;
    if (s->rlen == 0) s->rpos = 0;
}

/* One read(2) into dst: > 0 bytes, 0 end of file, -EAGAIN, or an error
 * (remembered). */
static ssize_t sys_read(asyncio_stream_t *s, void *dst, size_t n) {
    for (;;) {
        ssize_t r = s->is_socket ? recv(s->fd, dst, n, 0) : read(s->fd, dst, n);
        if (r > 0) return r;
        if (r == 0) {
            s->eof = true;
            return 0;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            io_watch_clear(&s->w, IO_READABLE);
            return -EAGAIN;
        }
        s->rerr = io_neg_errno();
        return s->rerr;
    }
}

/* Makes room for at least one more byte, capacity at most `cap_max`. */
static int make_room(asyncio_stream_t *s, size_t cap_max) {
    if (s->rpos > 0 && s->rpos + s->rlen == s->rcap) {
        memmove(s->rbuf, s->rbuf + s->rpos, s->rlen);
        s->rpos = 0;
    }
    if (s->rpos + s->rlen < s->rcap) return 0;
    size_t cap = s->rcap ? s->rcap * 2 : RBUF_FIRST;
    if (cap > cap_max) cap = cap_max;
    if (cap <= s->rlen) return -ENOBUFS;
    char *b = realloc(s->rbuf, cap);
    if (!b) return -ENOMEM;
    s->rbuf = b;
    s->rcap = cap;
    return 0;
}

/* Reads more bytes into the buffer, suspending until some arrive. `need`: the
 * caller must be able to buffer that many (buffer may grow to it). Returns the
 * bytes added, 0 at end of file, or a negative errno. */
static ssize_t fill(asyncio_stream_t *s, size_t need) {
    size_t cap_max = need > s->limit ? need : s->limit;
    for (;;) {
        if (s->rerr) return s->rerr;
        if (s->eof) return 0;
        if (s->closing) return -EBADF;
        if (s->rlen >= cap_max) return -ENOBUFS;
        int err = make_room(s, cap_max);
        if (err) return err;
        size_t space = s->rcap - s->rpos - s->rlen;
        if (space > cap_max - s->rlen) space = cap_max - s->rlen;
        ssize_t r = sys_read(s, s->rbuf + s->rpos + s->rlen, space);
        if (r > 0) {
            s->rlen += (size_t)r;
            return r;
        }
        if (r != -EAGAIN) return r;
        if (s->rlen == 0) { /* idle: hold no buffer while waiting */
            free(s->rbuf);
            s->rbuf = NULL;
            s->rcap = s->rpos = 0;
        }
        err = io_watch_wait(&s->w, IO_READABLE);
        if (err) return err;
    }
}

ssize_t asyncio_stream_read(asyncio_stream_t *s, void *buf, size_t n) {
    int err = enter(s, true);
    if (err) return err;
    if (!buf && n) return leave(s, true, -EINVAL);
    ssize_t r = 0;
    while (n > 0) {
        if (s->rlen > 0) {
            r = (ssize_t)(n < s->rlen ? n : s->rlen);
            consume(s, buf, (size_t)r);
            break;
        }
        if (s->rerr || s->eof) {
            r = s->rerr;
            break;
        }
        if (n >= DIRECT_READ) { /* big read, empty buffer: straight into buf */
            r = sys_read(s, buf, n);
            if (r != -EAGAIN) break;
            free(s->rbuf);
            s->rbuf = NULL;
            s->rcap = s->rpos = 0;
            r = io_watch_wait(&s->w, IO_READABLE);
            if (r) break;
            continue;
        }
        r = fill(s, 1);
        if (r <= 0) break;
    }
    return leave(s, true, r);
}

ssize_t asyncio_stream_readexactly(asyncio_stream_t *s, void *buf, size_t n) {
    int err = enter(s, true);
    if (err) return err;
    if (!buf && n) return leave(s, true, -EINVAL);
    while (s->rlen < n) {
        ssize_t r = fill(s, n);
        if (r < 0) return leave(s, true, r);
        if (r == 0) return leave(s, true, -EPIPE); /* early EOF: keep what came */
    }
    if (n) consume(s, buf, n);
    return leave(s, true, (ssize_t)n);
}

ssize_t asyncio_stream_readline(asyncio_stream_t *s, void *buf, size_t n) {
    int err = enter(s, true);
    if (err) return err;
    if (!buf) return leave(s, true, -EINVAL);
    if (n == 0) return leave(s, true, -EMSGSIZE);
    size_t scanned = 0;
    for (;;) {
        size_t span = s->rlen < n ? s->rlen : n;
        if (span > scanned) {
            char *base = s->rbuf + s->rpos;
            char *nl = memchr(base + scanned, '\n', span - scanned);
            if (nl) {
                size_t len = (size_t)(nl - base) + 1;
                consume(s, buf, len);
                return leave(s, true, (ssize_t)len);
            }
            scanned = span;
        }
        if (s->rlen >= n) return leave(s, true, -EMSGSIZE);
        ssize_t r = fill(s, n);
        if (r < 0) return leave(s, true, r);
        if (r == 0) { /* end of file: the last line has no '\n' */
            size_t len = s->rlen;
            if (len) consume(s, buf, len);
            return leave(s, true, (ssize_t)len);
        }
    }
}

/* ---- writing ------------------------------------------------------------------------ */

/* One send: bytes taken, -EAGAIN, or an error (remembered). */
static ssize_t sys_write(asyncio_stream_t *s, const void *src, size_t n) {
    for (;;) {
        ssize_t r = s->is_socket ? send(s->fd, src, n, MSG_NOSIGNAL) : write(s->fd, src, n);
        if (r >= 0) return r;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            io_watch_clear(&s->w, IO_WRITABLE);
            return -EAGAIN;
        }
        s->werr = io_neg_errno();
        return s->werr;
    }
}

/* Sends from the write buffer until it is empty or the kernel says EAGAIN.
 * Wakes the drainers when it empties or fails. */
static void flush(asyncio_stream_t *s) {
    while (s->wlen > 0 && !s->werr) {
        ssize_t r = sys_write(s, s->wbuf + s->wpos, s->wlen);
        if (r == -EAGAIN) return;
        if (r < 0) break;
        s->wpos += (size_t)r;
        s->wlen -= (size_t)r;
    }
    if (s->werr) s->wlen = 0; /* nobody will take them */
    s->wpos = 0;
    if (s->wcap > 65536u) { /* do not keep a big buffer around */
        free(s->wbuf);
        s->wbuf = NULL;
        s->wcap = 0;
    }
    driver_wake_all(&s->drainers, s->werr);
}

static void stream_events(struct io_watch *w, uint32_t events) {
    (void)events;
    asyncio_stream_t *s = (asyncio_stream_t *)w;
    if (s->wlen > 0 && (w->ready & IO_WRITABLE)) flush(s);
}

ssize_t asyncio_stream_write(asyncio_stream_t *s, const void *buf, size_t n) {
    if (!s || (!buf && n)) return -EINVAL;
    if (s->closing) return -EBADF;
    if (s->werr) return s->werr;
    if (s->wr_shut) return -EPIPE;
    if (n == 0) return 0;
    const char *p = buf;
    size_t left = n;
    while (s->wlen == 0 && left > 0) {
        ssize_t r = sys_write(s, p, left);
        if (r == -EAGAIN) break;
        if (r < 0) return r;
        p += r;
        left -= (size_t)r;
    }
    if (left == 0) return (ssize_t)n;
    if (s->wpos + s->wlen + left > s->wcap) {
        if (s->wpos > 0) {
            memmove(s->wbuf, s->wbuf + s->wpos, s->wlen);
            s->wpos = 0;
        }
        if (s->wlen + left > s->wcap) {
            size_t cap = s->wcap ? s->wcap : 4096u;
            while (cap < s->wlen + left) cap *= 2;
            char *b = realloc(s->wbuf, cap);
            if (!b) return n - left > 0 ? (ssize_t)(n - left) : -ENOMEM;
            s->wbuf = b;
            s->wcap = cap;
        }
    }
    memcpy(s->wbuf + s->wpos + s->wlen, p, left);
    s->wlen += left;
    return (ssize_t)n;
}

static int drain_locked(asyncio_stream_t *s) {
    for (;;) {
        if (s->werr) return s->werr;
        if (s->wlen == 0) return 0;
        if (s->closing) return -EBADF;
        if (s->w.ready & IO_WRITABLE) {
            flush(s);
            continue;
        }
        asyncio_task_t *self;
        int err = driver_wait_begin(&self);
        if (err) return err;
        err = driver_wait(self, &s->drainers, DRIVER_NO_DEADLINE, NULL, s);
        if (err) return err;
    }
}

int asyncio_stream_drain(asyncio_stream_t *s) {
    int err = enter(s, false);
    if (err) return err;
    return (int)leave(s, false, drain_locked(s));
}

int asyncio_stream_write_eof(asyncio_stream_t *s) {
    int err = enter(s, false);
    if (err) return err;
    err = drain_locked(s);
    if (!err && !s->wr_shut) {
        s->wr_shut = true;
        if (s->is_socket && shutdown(s->fd, SHUT_WR) != 0) err = io_neg_errno();
    }
    return (int)leave(s, false, err);
}

int asyncio_stream_close(asyncio_stream_t *s) {
    if (!s || s->closing) return -EINVAL;
    int result = 0;
    if (asyncio_current_task()) {
        result = asyncio_stream_drain(s);
    } else {
        flush(s);
        result = s->werr;
    }
    if (!result && s->wlen > 0) result = -EAGAIN;
    s->wlen = 0;
    s->closing = true;
    io_watch_close(&s->w); /* wakes readers with -EBADF */
    driver_wake_all(&s->drainers, -EBADF);
    close(s->fd);
    s->fd = -1;
    if (s->users == 0) stream_free(s);
    return result;
}
