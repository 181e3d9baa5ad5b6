/*
 * What the POSIX I/O files (io.c, stream.c, net.c) share.
 *
 * Two kinds of registration live in the loop's epoll set:
 *  - an io_watch: an fd owned by a stream or a listening socket, registered
 *    once, edge-triggered, for input and output. Its epoll tag is the watch's
 *    address (even). The watch remembers which directions are ready; the
 *    owner clears a direction when a system call says EAGAIN and then waits.
 *  - a raw fd waited on with asyncio_wait_readable / _writable: registered
 *    only while someone waits, one-shot, tagged with an odd number that
 *    encodes the fd and a generation (so a stale event is recognised).
 */
#ifndef CASYNCIO_IO_INTERNAL_H
#define CASYNCIO_IO_INTERNAL_H

#include "../../core/internal.h"
#include "port_posix.h"

enum {
    IO_READABLE = 1u << 0,
    IO_WRITABLE = 1u << 1,
};

struct io_watch;
/* Called from the poller (loop context, never in a task) after the watch's
 * ready bits were updated and its waiters woken. */
typedef void (*io_watch_fn)(struct io_watch *w, uint32_t events);

struct io_watch {
    asyncio_loop_t *loop;
    int fd;
    uint8_t ready;      /* IO_READABLE | IO_WRITABLE: worth trying the syscall */
    bool registered;    /* in the epoll set (false: a regular file, always ready) */
    io_watch_fn on_events; /* optional */
    asyncio_waitq_t readers, writers;
};

/* Registers fd with the loop's poller. 0, or -EEXIST (already registered),
 * -EBADF, -ENOMEM. A regular file (EPERM from epoll) is accepted and is
 * always ready. */
int io_watch_open(struct io_watch *w, asyncio_loop_t *loop, int fd);
/* Removes the fd from the poller (does not close it) and wakes every waiter
 * with -EBADF. */
void io_watch_close(struct io_watch *w);
/* Suspends the current task until the direction (IO_READABLE or IO_WRITABLE)
 * gets an event, unless its ready bit is already set (then 0 at once, without
 * switching). 0 or -ECANCELED / -ETIMEDOUT / -EBADF / -EPERM. Does not clear
 * the ready bit: the caller does when its syscall says EAGAIN. The caller must
 * have done task_enter_wait() if it wants the "cancelled already" check. */
int io_watch_wait(struct io_watch *w, uint8_t dir);
/* Wakes every waiter of one direction with `result`. */
void io_watch_wake(struct io_watch *w, uint8_t dir, int result);

/* -errno of a syscall that failed (errno 0 is mapped to -EIO). */
static inline int io_neg_errno(void) { return errno ? -errno : -EIO; }

/* Ignores SIGPIPE once if it still has its default action. */
void io_ignore_sigpipe(void);

#endif
