/*
 * Waiting on file descriptors: the bridge between the poller (poll_epoll.c
 * or poll_poll.c, through the poller_* calls of io_internal.h) and the tasks
 * that wait on fds.
 *
 * Raw fds (asyncio_wait_readable / _writable) are registered one-shot and only
 * while somebody waits: the fd stays the caller's, who may close it whenever
 * nobody waits. A record per (loop, fd) holds the waiting readers and writers;
 * its tag is an odd number (fd, generation), never a pointer, so an event
 * that arrives for a record already gone is recognised and dropped.
 *
 * Watches (io_internal.h) are the streams' and listeners': registered once,
 * edge-triggered, tagged with their address.
 *
 * Every waiting task is in driver_wait() (the core counts it as an external
 * waiter: virtual time must not call that a deadlock); the poller counts
 * registrations (the loop then polls once per pass).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_internal.h"

#include "../../../include/asyncio_stream.h"

/* A raw-fd waiter that has waited this long checks that its fd is still the
 * file it started waiting on (a plain close() removes it from an epoll set
 * silently). Real-time loops only: in virtual time it would make the clock
 * race ahead. */
#define FD_RECHECK_US 1000000u

/* ---- small helpers --------------------------------------------------------- */

void io_ignore_sigpipe(void) {
    static bool done;
    if (done) return;
    done = true;
    struct sigaction old;
    if (sigaction(SIGPIPE, NULL, &old) == 0 && !(old.sa_flags & SA_SIGINFO) &&
        old.sa_handler == SIG_DFL) {
        struct sigaction ign;
        memset(&ign, 0, sizeof ign);
        ign.sa_handler = SIG_IGN;
        sigemptyset(&ign.sa_mask);
        sigaction(SIGPIPE, &ign, NULL);
    }
}

/* The error pending on a socket (read and cleared), else -EPIPE. */
static int pending_error(int fd) {
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err != 0) return -err;
    return -EPIPE;
}

/* ---- watches ----------------------------------------------------------------- */

int io_watch_open(struct io_watch *w, asyncio_loop_t *loop, int fd) {
    memset(w, 0, sizeof *w);
    w->loop = loop;
    w->fd = fd;
    w->ready = IO_READABLE | IO_WRITABLE; /* until a syscall says EAGAIN */
    int err = poller_add(driver_loop_port(loop), fd, 0, IO_REG_EDGE, w);
    if (err == -EPERM) return 0; /* a regular file: never blocks */
    if (err) return err;
    w->registered = true;
    return 0;
}

void io_watch_clear(struct io_watch *w, uint8_t dirs) {
    w->ready &= (uint8_t)~dirs;
    if (!w->registered) return;
    uint32_t want = 0;
    if (!(w->ready & IO_READABLE)) want |= IO_EV_IN | IO_EV_RDHUP;
    if (!(w->ready & IO_WRITABLE)) want |= IO_EV_OUT;
    poller_mod(driver_loop_port(w->loop), w->fd, want, IO_REG_EDGE, w);
}

void io_watch_wake(struct io_watch *w, uint8_t dir, int result) {
    driver_wake_all(dir == IO_READABLE ? &w->readers : &w->writers, result);
}

void io_watch_close(struct io_watch *w) {
    if (w->registered) {
        poller_del(driver_loop_port(w->loop), w->fd, w);
        w->registered = false;
    }
    w->ready = 0;
    w->fd = -1;
    io_watch_wake(w, IO_READABLE, -EBADF);
    io_watch_wake(w, IO_WRITABLE, -EBADF);
}

int io_watch_wait(struct io_watch *w, uint8_t dir) {
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err) return err;
    if (w->fd < 0) return -EBADF;
    if ((w->ready & dir) || !w->registered) return 0;
    return driver_wait(self, dir == IO_READABLE ? &w->readers : &w->writers, DRIVER_NO_DEADLINE,
                       NULL, w);
}

static void watch_dispatch(struct io_watch *w, uint32_t events) {
    uint8_t ready = 0;
    const uint32_t broken = IO_EV_HUP | IO_EV_ERR | IO_EV_NVAL;
    if (events & (IO_EV_IN | IO_EV_PRI | IO_EV_RDHUP | broken)) ready |= IO_READABLE;
    if (events & (IO_EV_OUT | broken)) ready |= IO_WRITABLE;
    w->ready |= ready;
    if (ready & IO_READABLE) io_watch_wake(w, IO_READABLE, 0);
    if (ready & IO_WRITABLE) io_watch_wake(w, IO_WRITABLE, 0);
    if (w->on_events && ready) w->on_events(w, ready);
}

/* ---- raw fds ------------------------------------------------------------------- */

struct fd_rec {
    struct fd_rec *next; /* same fd, another loop */
    struct port_loop *p;
    int fd;
    uint32_t gen;
    uint32_t armed; /* IO_EV_* armed now (one-shot: 0 once fired) */
    bool added;     /* registered with the poller */
    dev_t dev;
    ino_t ino;
    asyncio_waitq_t readers, writers;
};

static struct fd_rec **fd_table; /* indexed by fd */
static size_t fd_table_len, fd_recs;
static uint32_t fd_gen;

static void *rec_tag(const struct fd_rec *r) {
    uintptr_t tag = ((uintptr_t)(unsigned)r->fd << 1) | 1u;
#if UINTPTR_MAX > 0xffffffffu
    tag |= (uintptr_t)r->gen << 32;
#endif
    return (void *)tag;
}

static struct fd_rec *rec_find(struct port_loop *p, int fd) {
    if (fd < 0 || (size_t)fd >= fd_table_len) return NULL;
    for (struct fd_rec *r = fd_table[fd]; r; r = r->next)
        if (r->p == p) return r;
    return NULL;
}

static struct fd_rec *rec_new(struct port_loop *p, int fd, const struct stat *st) {
    if ((size_t)fd >= fd_table_len) {
        size_t len = fd_table_len ? fd_table_len : 64;
        while (len <= (size_t)fd) len *= 2;
        struct fd_rec **t = realloc(fd_table, len * sizeof *t);
        if (!t) return NULL;
        memset(t + fd_table_len, 0, (len - fd_table_len) * sizeof *t);
        fd_table = t;
        fd_table_len = len;
    }
    struct fd_rec *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->p = p;
    r->fd = fd;
    r->gen = ++fd_gen;
    r->dev = st->st_dev;
    r->ino = st->st_ino;
    r->next = fd_table[fd];
    fd_table[fd] = r;
    fd_recs++;
    return r;
}

/* Forgets the record (no waiter may be left). `remove`: take the fd out of
 * the poller (false when the fd no longer is the file registered: the poller
 * only drops its bookkeeping). */
static void rec_free(struct fd_rec *r, bool remove) {
    if (r->added) {
        if (remove)
            poller_del(r->p, r->fd, rec_tag(r));
        else
            poller_forget(r->p, r->fd, rec_tag(r));
    }
    struct fd_rec **link = &fd_table[r->fd];
    while (*link != r) link = &(*link)->next;
    *link = r->next;
    free(r);
    if (--fd_recs == 0) {
        free(fd_table);
        fd_table = NULL;
        fd_table_len = 0;
    }
}

static uint32_t rec_wanted(const struct fd_rec *r) {
    uint32_t want = 0;
    if (!driver_waitq_empty(&r->readers)) want |= IO_EV_IN | IO_EV_RDHUP;
    if (!driver_waitq_empty(&r->writers)) want |= IO_EV_OUT;
    return want;
}

/* Arms the poller for `want` (0: the record goes). 0 or the poller's -errno. */
static int rec_arm(struct fd_rec *r, uint32_t want) {
    if (want == 0) {
        rec_free(r, true);
        return 0;
    }
    if (want == r->armed) return 0;
    int err = r->added ? poller_mod(r->p, r->fd, want, IO_REG_ONESHOT, rec_tag(r))
                       : poller_add(r->p, r->fd, want, IO_REG_ONESHOT, rec_tag(r));
    if (err) return err;
    r->added = true;
    r->armed = want;
    return 0;
}

static void rec_sync(struct fd_rec *r) {
    int err = rec_arm(r, rec_wanted(r));
    if (err) {
        /* cannot re-arm (the fd was closed under the waiters): fail them */
        driver_wake_all(&r->readers, -EBADF);
        driver_wake_all(&r->writers, -EBADF);
        rec_free(r, false);
    }
}

static void rec_dispatch(struct port_loop *p, uintptr_t tag, uint32_t events) {
    int fd = (int)((tag & 0xffffffffu) >> 1);
    struct fd_rec *r = rec_find(p, fd);
#if UINTPTR_MAX > 0xffffffffu
    if (!r || r->gen != (uint32_t)(tag >> 32)) return;
#else
    if (!r) return;
#endif
    r->armed = 0; /* one-shot: it fired */
    if (events & (IO_EV_ERR | IO_EV_NVAL)) {
        int err = events & IO_EV_NVAL ? -EBADF : pending_error(fd);
        driver_wake_all(&r->readers, err);
        driver_wake_all(&r->writers, err);
    } else {
        if (events & (IO_EV_IN | IO_EV_PRI | IO_EV_RDHUP))
            driver_wake_all(&r->readers, 1);
        else if (events & IO_EV_HUP)
            driver_wake_all(&r->readers, -EPIPE);
        if (events & IO_EV_HUP)
            driver_wake_all(&r->writers, -EPIPE);
        else if (events & IO_EV_OUT)
            driver_wake_all(&r->writers, 1);
    }
    rec_sync(r);
}

static void rec_interrupted(asyncio_task_t *t, int reason) {
    struct fd_rec *r = driver_wait_data(t);
    driver_wake(t, reason); /* leaves the record's queue */
    rec_sync(r);
}

static int fd_wait(int fd, bool write) {
    for (;;) {
        asyncio_task_t *self;
        int err = driver_wait_begin(&self); /* task_wait cannot fail after it */
        if (err) return err;
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0) return -EBADF;
        if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) return 0;
        asyncio_loop_t *loop = driver_task_loop(self);
        struct port_loop *p = driver_loop_port(loop);
        struct fd_rec *r = rec_find(p, fd);
        if (r && (r->dev != st.st_dev || r->ino != st.st_ino)) {
            /* the fd number now names another file: the old one was closed
             * under its waiters */
            driver_wake_all(&r->readers, -EBADF);
            driver_wake_all(&r->writers, -EBADF);
            rec_free(r, false);
            r = NULL;
        }
        bool fresh = r == NULL;
        if (!r && !(r = rec_new(p, fd, &st))) return -ENOMEM;
        err = rec_arm(r, rec_wanted(r) | (write ? IO_EV_OUT : IO_EV_IN | IO_EV_RDHUP));
        if (err) {
            if (fresh) rec_free(r, false);
            if (err == -EPERM) return 0; /* a file the poller cannot watch: never blocks */
            return err;
        }
        uint32_t gen = r->gen;
        uint64_t deadline = DRIVER_NO_DEADLINE;
        if (!driver_loop_virtual_time(loop)) deadline = asyncio_loop_time_us(loop) + FD_RECHECK_US;
        err = driver_wait(self, write ? &r->writers : &r->readers, deadline, rec_interrupted, r);
        if (err == 1) return 0;
        if (err < 0) return err; /* the waker did the bookkeeping */
        /* err == 0: the re-check deadline came; nobody re-armed the record */
        r = rec_find(p, fd);
        if (r && r->gen == gen) rec_sync(r);
        struct stat now;
        if (fstat(fd, &now) != 0 || now.st_dev != st.st_dev || now.st_ino != st.st_ino)
            return -EBADF;
    }
}

int asyncio_wait_readable(int fd) { return fd_wait(fd, false); }
int asyncio_wait_writable(int fd) { return fd_wait(fd, true); }

int asyncio_close_fd(int fd) {
    if (fd < 0) return -EBADF;
    asyncio_loop_t *loop = asyncio_get_event_loop(); /* the running one, else the default */
    struct fd_rec *r = loop ? rec_find(driver_loop_port(loop), fd) : NULL;
    if (r) {
        driver_wake_all(&r->readers, -EBADF);
        driver_wake_all(&r->writers, -EBADF);
        rec_free(r, true);
    }
    return close(fd) == 0 ? 0 : io_neg_errno();
}

/* ---- from the poller ---------------------------------------------------------- */

void port_io_dispatch(struct port_loop *p, void *tag, uint32_t events) {
    uintptr_t t = (uintptr_t)tag;
    if (t & 1u)
        rec_dispatch(p, t, events);
    else
        watch_dispatch(tag, events);
}
