/*
 * The Linux poller: one epoll set per loop, an eventfd for wake-ups from
 * other threads, interrupts-as-signals and port_wake(), and epoll_pwait2 for
 * a microsecond timeout (epoll_wait's milliseconds would make every sleep up
 * to a millisecond late, or early).
 *
 * Registrations (io_internal.h): an edge registration is EPOLLET for input
 * and output from the start, so re-arming it after EAGAIN costs nothing; a
 * one-shot one is EPOLLONESHOT.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "io_internal.h"
#include "wakeup.h"

struct port_loop {
    asyncio_loop_t *loop;
    int epoll_fd;
    struct wakeup wake;      /* port_wake() signals it, port_poll() drains it */
    unsigned registered_fds; /* fds in the epoll set besides the wake-up's */
};

struct port_loop *port_loop_open(asyncio_loop_t *loop) {
    struct port_loop *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->loop = loop;
    p->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    int err = wakeup_open(&p->wake);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    if (p->epoll_fd < 0 || err || epoll_ctl(p->epoll_fd, EPOLL_CTL_ADD, p->wake.fd, &ev) != 0) {
        port_loop_close(p);
        return NULL;
    }
    return p;
}

void port_loop_close(struct port_loop *p) {
    if (!p) return;
    if (p->epoll_fd >= 0) close(p->epoll_fd);
    wakeup_close(&p->wake);
    free(p);
}

bool port_poll_needed(struct port_loop *p) {
    return p->registered_fds > 0 || wakeup_pending(&p->wake);
}

void port_wake(struct port_loop *p) { wakeup_signal(&p->wake); }

/* ---- registrations ------------------------------------------------------------ */

static uint32_t to_epoll(uint32_t ev) {
    uint32_t e = 0;
    if (ev & IO_EV_IN) e |= EPOLLIN;
    if (ev & IO_EV_PRI) e |= EPOLLPRI;
    if (ev & IO_EV_OUT) e |= EPOLLOUT;
    if (ev & IO_EV_RDHUP) e |= EPOLLRDHUP;
    return e;
}

static uint32_t from_epoll(uint32_t e) {
    uint32_t ev = 0;
    if (e & EPOLLIN) ev |= IO_EV_IN;
    if (e & EPOLLPRI) ev |= IO_EV_PRI;
    if (e & EPOLLOUT) ev |= IO_EV_OUT;
    if (e & EPOLLERR) ev |= IO_EV_ERR;
    if (e & EPOLLHUP) ev |= IO_EV_HUP;
    if (e & EPOLLRDHUP) ev |= IO_EV_RDHUP;
    return ev;
}

static int ctl(struct port_loop *p, int op, int fd, uint32_t events, unsigned mode, void *tag) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    if (mode == IO_REG_EDGE)
        ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    else
        ev.events = to_epoll(events) | EPOLLONESHOT;
    ev.data.ptr = tag;
    return epoll_ctl(p->epoll_fd, op, fd, &ev) == 0 ? 0 : io_neg_errno();
}

int poller_add(struct port_loop *p, int fd, uint32_t events, unsigned mode, void *tag) {
    int err = ctl(p, EPOLL_CTL_ADD, fd, events, mode, tag);
    if (!err) p->registered_fds++;
    return err;
}

int poller_mod(struct port_loop *p, int fd, uint32_t events, unsigned mode, void *tag) {
    if (mode == IO_REG_EDGE) return 0; /* edge-triggered already watches both ways */
    int err = ctl(p, EPOLL_CTL_MOD, fd, events, mode, tag);
    /* the kernel dropped it (the file was closed and the fd reopened) */
    if (err == -ENOENT) err = ctl(p, EPOLL_CTL_ADD, fd, events, mode, tag);
    return err;
}

void poller_del(struct port_loop *p, int fd, void *tag) {
    (void)tag;
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    epoll_ctl(p->epoll_fd, EPOLL_CTL_DEL, fd, &ev);
    p->registered_fds--;
}

void poller_forget(struct port_loop *p, int fd, void *tag) {
    (void)fd;
    (void)tag;
    p->registered_fds--; /* the kernel removed it when the file closed */
}

/* ---- waiting ------------------------------------------------------------------- */

static struct timespec timeout_until(uint64_t deadline_us) {
    struct timespec ts = {0, 0};
    uint64_t now = port_now_us();
    if (deadline_us > now) {
        uint64_t us = deadline_us - now;
        ts.tv_sec = (time_t)(us / 1000000u);
        ts.tv_nsec = (long)(us % 1000000u) * 1000;
    }
    return ts;
}

/* epoll_pwait2 needs Linux 5.11 (and valgrind does not know it yet): without
 * it, epoll_wait with the timeout rounded up to a whole millisecond, so that
 * a wake-up may be late but never early. */
#ifdef CASYNCIO_VALGRIND
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() RUNNING_ON_VALGRIND
#else
#define UNDER_VALGRIND() 0
#endif

static int wait_events(struct port_loop *p, struct epoll_event *events, int max,
                       uint64_t deadline_us) {
    static int no_pwait2 = -1;
    if (no_pwait2 < 0) no_pwait2 = UNDER_VALGRIND() != 0;
    struct timespec ts = timeout_until(deadline_us);
    if (!no_pwait2) {
        int n =
            epoll_pwait2(p->epoll_fd, events, max, deadline_us == PORT_FOREVER ? NULL : &ts, NULL);
        if (n >= 0 || errno != ENOSYS) return n;
        no_pwait2 = 1;
    }
    int ms = -1;
    if (deadline_us != PORT_FOREVER) {
        uint64_t us = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
        uint64_t rounded = (us + 999u) / 1000u;
        ms = rounded > INT32_MAX ? INT32_MAX : (int)rounded;
    }
    return epoll_wait(p->epoll_fd, events, max, ms);
}

void port_poll(struct port_loop *p, uint64_t deadline_us) {
    struct epoll_event events[64];
    if (deadline_us > port_now_us() + 1000) port_stack_trim(256); /* idle: give memory back */
    if (deadline_us) watch_rest(true);
    int n = wait_events(p, events, 64, deadline_us);
    if (deadline_us) watch_rest(false);
    for (int i = 0; i < n; i++) {
        if (events[i].data.ptr == NULL)
            wakeup_drain(&p->wake);
        else
            port_io_dispatch(p, events[i].data.ptr, from_epoll(events[i].events));
    }
}
