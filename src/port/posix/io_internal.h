/*
 * What the POSIX I/O files (io.c, stream_fd.c, net.c) share.
 *
 * Two kinds of registration live in the loop's poller:
 *  - an io_watch: an fd owned by a stream or a listening socket, registered
 *    once, edge-triggered, for input and output. Its tag is the watch's
 *    address (even). The watch remembers which directions are ready; the
 *    owner clears a direction (io_watch_clear) when a system call says
 *    EAGAIN and then waits.
 *  - a raw fd waited on with asyncio_wait_readable / _writable: registered
 *    only while someone waits, one-shot, tagged with an odd number that
 *    encodes the fd and a generation (so a stale event is recognised).
 *
 * The poller is poll_epoll.c (epoll) or poll_poll.c (ppoll), chosen by the
 * CASYNCIO_POLLER build option; both implement the poller_* calls below.
 */
#ifndef CASYNCIO_IO_INTERNAL_H
#define CASYNCIO_IO_INTERNAL_H

#include "../../core/driver.h"
#include "port_posix.h"

enum {
    IO_READABLE = 1u << 0,
    IO_WRITABLE = 1u << 1,
};

/* ---- the poller's registration interface ----------------------------------- */

/* Events, as the poller reports them (its own flags translated). */
enum {
    IO_EV_IN = 1u << 0,
    IO_EV_PRI = 1u << 1,
    IO_EV_OUT = 1u << 2,
    IO_EV_ERR = 1u << 3,
    IO_EV_HUP = 1u << 4,
    IO_EV_RDHUP = 1u << 5, /* the peer shut down its writing side */
    IO_EV_NVAL = 1u << 6,  /* the fd was closed under the registration */
};

/* How a registration reports.
 * IO_REG_EDGE: `events` is what the owner waits for (directions that said
 *   EAGAIN). Once a direction is reported it is not reported again until
 *   poller_mod() asks for it anew; an edge-triggered poller may also report
 *   it on each new edge and ignores `events` (it always watches both).
 * IO_REG_ONESHOT: the first report disarms the whole registration until
 *   poller_mod() re-arms it. */
enum { IO_REG_EDGE = 1, IO_REG_ONESHOT = 2 };

/* Adds fd: 0, -EEXIST (this open file is registered already), -EPERM (a
 * regular file or directory: it never blocks), -EBADF, -ENOMEM. */
int poller_add(struct port_loop *p, int fd, uint32_t events, unsigned mode, void *tag);
/* Changes what fd's registration (made with `tag`) waits for: 0, or -ENOENT
 * when it is gone (the file was closed and the number reused). */
int poller_mod(struct port_loop *p, int fd, uint32_t events, unsigned mode, void *tag);
/* Removes fd's registration made with `tag`, if it is still there. */
void poller_del(struct port_loop *p, int fd, void *tag);
/* Drops the registration's bookkeeping without touching fd, which no
 * longer names the file registered (it was closed, maybe reused). */
void poller_forget(struct port_loop *p, int fd, void *tag);
/* io.c: an event for `tag`, called by port_poll() in loop context. */
void port_io_dispatch(struct port_loop *p, void *tag, uint32_t events);

/* ---- watches ------------------------------------------------------------------ */

struct io_watch;
/* Called from the poller (loop context, never in a task) after the watch's
 * ready bits were updated and its waiters woken: `ready`, the directions
 * (IO_READABLE | IO_WRITABLE) the event made ready. */
typedef void (*io_watch_fn)(struct io_watch *w, uint8_t ready);

struct io_watch {
    asyncio_loop_t *loop;
    int fd;
    uint8_t ready;         /* IO_READABLE | IO_WRITABLE: worth trying the syscall */
    bool registered;       /* in the poller (false: a regular file, always ready) */
    io_watch_fn on_events; /* optional */
    asyncio_waitq_t readers, writers;
};

/* Registers fd with the loop's poller. 0, or -EEXIST (already registered),
 * -EBADF, -ENOMEM. A regular file (EPERM from the poller) is accepted and is
 * always ready. */
int io_watch_open(struct io_watch *w, asyncio_loop_t *loop, int fd);
/* Removes the fd from the poller (does not close it) and wakes every waiter
 * with -EBADF. */
void io_watch_close(struct io_watch *w);
/* Suspends the current task until the direction (IO_READABLE or IO_WRITABLE)
 * gets an event, unless its ready bit is already set (then 0 at once, without
 * switching, but after driver_wait_begin()'s checks). 0 or -ECANCELED /
 * -ETIMEDOUT / -EBADF / -EPERM / -ENOMEM. Does not clear the ready bit: the
 * caller does when its syscall says EAGAIN. */
int io_watch_wait(struct io_watch *w, uint8_t dir);
/* Clears ready bits after a system call said EAGAIN for those directions:
 * the poller reports them again when they become ready. */
void io_watch_clear(struct io_watch *w, uint8_t dirs);
/* Wakes every waiter of one direction with `result`. */
void io_watch_wake(struct io_watch *w, uint8_t dir, int result);

/* -errno of a syscall that failed (errno 0 is mapped to -EIO). */
static inline int io_neg_errno(void) { return errno ? -errno : -EIO; }

/* Ignores SIGPIPE once if it still has its default action. */
void io_ignore_sigpipe(void);

#endif
