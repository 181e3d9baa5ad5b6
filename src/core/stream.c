/*
 * Buffered byte streams over a transport (stream_transport.h): the calls of
 * asyncio_stream.h, written once for every kind of stream.
 *
 * Reading: the read buffer holds bytes received and not yet consumed, at
 * rbuf[rpos .. rpos + rlen). It grows (doubling) up to the stream's limit, or
 * to what readexactly / readline need, and is freed while the reader waits
 * with nothing buffered, so an idle connection holds no buffer. A reader
 * that finds nothing (read_some says -EAGAIN) waits until the transport
 * calls stream_notify_readable.
 *
 * Writing, by default: write() hands bytes to the transport at once while
 * nothing is queued; the rest goes to the write buffer, sent when the
 * transport calls stream_notify_writable. The invariant: bytes are queued
 * only after write_some said -EAGAIN, so a notification is due. drain()
 * waits for the queue to empty and the transport to say every byte has
 * left (sent_all). With ops->write_waits the transport's own buffer is the
 * queue and writers wait for room in it instead, in turn.
 *
 * Lifetime: tasks inside a suspending call count as users; close marks the
 * stream closing, wakes them with -EBADF, releases the transport, and the
 * last user out frees the stream.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "stream_transport.h"

#define RBUF_FIRST  4096u  /* first allocation of the read buffer, at most */
#define DIRECT_READ 4096u  /* reads at least this big skip the buffer when it is empty */
#define WBUF_KEEP   65536u /* a write buffer bigger than this is freed once empty */

struct asyncio_stream {
    const stream_transport_ops_t *ops;
    void *transport;
    asyncio_loop_t *loop;
    bool eof;       /* the read side reached end of stream */
    bool reading;   /* a task is inside a read call */
    bool wr_shut;   /* write_eof done */
    bool closing;   /* close called: the last user frees */
    int rerr;       /* sticky read error */
    int werr;       /* sticky write error */
    unsigned users; /* tasks inside a suspending call */
    size_t limit;
    char *rbuf;
    size_t rcap, rpos, rlen;
    char *wbuf;
    size_t wcap, wpos, wlen;
    asyncio_waitq_t readers;   /* the reader, waiting for bytes */
    asyncio_waitq_t writers;   /* write_waits: the writer whose turn it is, waiting for room */
    asyncio_waitq_t drainers;  /* drain and write_eof */
    asyncio_lock_t write_turn; /* write_waits: writers in turn */
};

asyncio_stream_t *stream_new(asyncio_loop_t *loop, const stream_transport_ops_t *ops,
                             void *transport) {
    asyncio_stream_t *s = PORT_MALLOC(sizeof *s); /* not calloc: firmware links no calloc */
    if (!s) {
        errno = ENOMEM;
        return NULL;
    }
    memset(s, 0, sizeof *s);
    s->ops = ops;
    s->transport = transport;
    s->loop = loop;
    s->limit = ASYNCIO_STREAM_DEFAULT_LIMIT;
    return s;
}

void *stream_transport_data(const asyncio_stream_t *s) { return s->transport; }
const stream_transport_ops_t *stream_transport_ops(const asyncio_stream_t *s) { return s->ops; }
asyncio_loop_t *stream_loop(const asyncio_stream_t *s) { return s->loop; }
bool stream_closed(const asyncio_stream_t *s) { return s->closing; }

int asyncio_stream_set_limit(asyncio_stream_t *s, size_t limit) {
    if (!s) return -EINVAL;
    s->limit = limit < ASYNCIO_STREAM_MIN_LIMIT ? ASYNCIO_STREAM_MIN_LIMIT : limit;
    return 0;
}

size_t asyncio_stream_buffered(const asyncio_stream_t *s) {
    if (!s) return 0;
    return s->rlen + (s->ops->buffered && !s->closing ? s->ops->buffered(s) : 0);
}

/* ---- entering and leaving a suspending call ---------------------------------------- */

static void stream_free(asyncio_stream_t *s) {
    PORT_FREE(s->rbuf);
    PORT_FREE(s->wbuf);
    PORT_FREE(s);
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

/* Suspends the calling user on q until a notification (0), close (-EBADF),
 * the deadline (0) or an interruption. */
static int wait_on(asyncio_stream_t *s, asyncio_waitq_t *q, uint64_t deadline) {
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err) return err;
    return driver_wait(self, q, deadline, NULL, s);
}

void stream_notify_readable(asyncio_stream_t *s, int err) {
    if (err < 0 && !s->rerr) s->rerr = err;
    driver_wake_all(&s->readers, 0);
}

/* ---- reading ---------------------------------------------------------------------- */

static void consume(asyncio_stream_t *s, void *dst, size_t n) {
    memcpy(dst, s->rbuf + s->rpos, n);
    s->rpos += n;
    s->rlen -= n;
    if (s->rlen == 0) s->rpos = 0;
}

/* One read_some into dst: > 0 bytes, 0 end of stream, -EAGAIN, or an error
 * (remembered). */
static ssize_t read_some(asyncio_stream_t *s, void *dst, size_t n) {
    ssize_t r = s->ops->read_some(s, dst, n);
    if (r == 0) s->eof = true;
    if (r < 0 && r != -EAGAIN) s->rerr = (int)r;
    return r;
}

static void release_idle_rbuf(asyncio_stream_t *s) {
    PORT_FREE(s->rbuf);
    s->rbuf = NULL;
    s->rcap = s->rpos = 0;
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
    char *b = PORT_REALLOC(s->rbuf, cap);
    if (!b) return -ENOMEM;
    s->rbuf = b;
    s->rcap = cap;
    return 0;
}

/* Reads more bytes into the buffer, suspending until some arrive. `need`: the
 * caller must be able to buffer that many (buffer may grow to it). Returns the
 * bytes added, 0 at end of stream, or a negative errno. */
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
        ssize_t r = read_some(s, s->rbuf + s->rpos + s->rlen, space);
        if (r > 0) {
            s->rlen += (size_t)r;
            return r;
        }
        if (r != -EAGAIN) return r;
        if (s->rlen == 0) release_idle_rbuf(s); /* idle: hold no buffer while waiting */
        err = wait_on(s, &s->readers, DRIVER_NO_DEADLINE);
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
        if (s->closing) {
            r = -EBADF;
            break;
        }
        if (n >= DIRECT_READ) { /* big read, empty buffer: straight into buf */
            r = read_some(s, buf, n);
            if (r != -EAGAIN) break;
            release_idle_rbuf(s);
            r = wait_on(s, &s->readers, DRIVER_NO_DEADLINE);
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
        if (r == 0) return leave(s, true, -EPIPE); /* early end: keep what came */
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
        if (r == 0) { /* end of stream: the last line has no '\n' */
            size_t len = s->rlen;
            if (len) consume(s, buf, len);
            return leave(s, true, (ssize_t)len);
        }
    }
}

/* ---- writing ------------------------------------------------------------------------ */

/* Hands p[0..n) to the transport until it takes no more: the count taken,
 * or an error (remembered). */
static ssize_t send_now(asyncio_stream_t *s, const char *p, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t r = s->ops->write_some(s, p + done, n - done);
        if (r == -EAGAIN) break;
        if (r < 0) {
            s->werr = (int)r;
            return r;
        }
        done += (size_t)r;
    }
    return (ssize_t)done;
}

/* Sends from the write buffer until it is empty or the transport takes no
 * more. Wakes the drainers when it empties or fails. */
static void flush(asyncio_stream_t *s) {
    if (s->wlen > 0 && !s->werr) {
        ssize_t r = send_now(s, s->wbuf + s->wpos, s->wlen);
        if (r >= 0) {
            s->wpos += (size_t)r;
            s->wlen -= (size_t)r;
            if (s->wlen > 0) return; /* a notification is due */
        }
    }
    if (s->werr) s->wlen = 0; /* nobody will take them */
    s->wpos = 0;
    if (s->wcap > WBUF_KEEP) { /* do not keep a big buffer around */
        PORT_FREE(s->wbuf);
        s->wbuf = NULL;
        s->wcap = 0;
    }
    driver_wake_all(&s->drainers, s->werr);
}

void stream_notify_writable(asyncio_stream_t *s, int err) {
    if (err < 0 && !s->werr) s->werr = err;
    driver_wake_all(&s->writers, 0);
    flush(s);
}

/* Copies p[0..n) behind what is queued. The count queued, or -ENOMEM. */
static ssize_t queue(asyncio_stream_t *s, const char *p, size_t n) {
    if (s->wpos + s->wlen + n > s->wcap) {
        if (s->wpos > 0) {
            memmove(s->wbuf, s->wbuf + s->wpos, s->wlen);
            s->wpos = 0;
        }
        if (s->wlen + n > s->wcap) {
            size_t cap = s->wcap ? s->wcap : 4096u;
            while (cap < s->wlen + n) cap *= 2;
            char *b = PORT_REALLOC(s->wbuf, cap);
            if (!b) return -ENOMEM;
            s->wbuf = b;
            s->wcap = cap;
        }
    }
    memcpy(s->wbuf + s->wpos + s->wlen, p, n);
    s->wlen += n;
    return (ssize_t)n;
}

/* ops->write_waits: the rest of a write that found no room, in turn with
 * the other writers. `done` bytes went already. */
static ssize_t write_in_turn(asyncio_stream_t *s, const char *p, size_t n, size_t done) {
    int err = enter(s, false);
    if (err) return done ? (ssize_t)done : err;
    err = asyncio_lock_acquire(&s->write_turn);
    if (err) return leave(s, false, done ? (ssize_t)done : err);
    while (done < n) {
        if (s->closing || s->werr) {
            err = s->closing ? -EBADF : s->werr;
            break;
        }
        ssize_t r = send_now(s, p + done, n - done);
        if (r < 0) {
            err = (int)r;
            break;
        }
        done += (size_t)r;
        if (done < n && (err = wait_on(s, &s->writers, DRIVER_NO_DEADLINE))) break;
    }
    asyncio_lock_release(&s->write_turn);
    return leave(s, false, done ? (ssize_t)done : err);
}

ssize_t asyncio_stream_write(asyncio_stream_t *s, const void *buf, size_t n) {
    if (!s || (!buf && n)) return -EINVAL;
    if (s->closing) return -EBADF;
    if (s->werr) return s->werr;
    if (s->wr_shut) return -EPIPE;
    if (n == 0) return 0;
    const char *p = buf;
    size_t done = 0;
    if (s->wlen == 0 && !asyncio_lock_locked(&s->write_turn)) {
        ssize_t r = send_now(s, p, n);
        if (r < 0) return r;
        done = (size_t)r;
    }
    if (done == n) return (ssize_t)n;
    if (s->ops->write_waits) return write_in_turn(s, p, n, done);
    ssize_t r = queue(s, p + done, n - done);
    if (r < 0) return done > 0 ? (ssize_t)done : r;
    return (ssize_t)n;
}

/* What drain waits for: the queue empty and, if the transport can tell,
 * every byte gone. 0, or its error. */
static int drain_locked(asyncio_stream_t *s) {
    for (;;) {
        if (s->werr) return s->werr;
        if (s->closing) return -EBADF;
        uint64_t deadline = DRIVER_NO_DEADLINE;
        if (s->wlen > 0) {
            flush(s);
            if (s->werr) continue;
        }
        if (s->wlen == 0) {
            if (!s->ops->sent_all || s->ops->sent_all(s)) return 0;
            uint32_t recheck = s->ops->sent_all_recheck_us ? s->ops->sent_all_recheck_us(s) : 0;
            if (recheck) deadline = asyncio_loop_time_us(asyncio_get_event_loop()) + recheck;
        }
        int err = wait_on(s, &s->drainers, deadline);
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
        if (s->ops->shutdown_write) err = s->ops->shutdown_write(s);
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
    driver_wake_all(&s->readers, -EBADF);
    driver_wake_all(&s->writers, -EBADF);
    driver_wake_all(&s->drainers, -EBADF);
    s->ops->close(s);
    if (s->users == 0) stream_free(s);
    return result;
}

int asyncio_stream_abort(asyncio_stream_t *s) {
    if (!s || s->closing) return -EINVAL;
    s->wlen = 0;
    if (!s->rerr) s->rerr = -ECONNRESET;
    if (!s->werr) s->werr = -ECONNRESET;
    if (s->ops->abort) s->ops->abort(s);
    driver_wake_all(&s->readers, -ECONNRESET);
    driver_wake_all(&s->writers, -ECONNRESET);
    driver_wake_all(&s->drainers, -ECONNRESET);
    return 0;
}
