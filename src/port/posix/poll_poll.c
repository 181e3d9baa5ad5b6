/*
 * The poll(2) poller, for systems or sandboxes without epoll (build with
 * -DCASYNCIO_POLLER=poll): an array of pollfd with a tag per entry, the
 * eventfd of port_wake() in entry 0, and ppoll for a timeout in nanoseconds
 * (poll's milliseconds would make sleeps late or, rounded down, early).
 *
 * poll is level-triggered; io.c's watches expect edges. An edge registration
 * therefore watches only the directions its owner asked for (those that said
 * EAGAIN) and drops each direction once it is reported, until the owner asks
 * again: a readable socket nobody reads, or a writable one nobody writes to,
 * does not wake the loop over and over. A one-shot registration is disarmed
 * by its first report. An entry that watches nothing has a negative fd, which
 * poll skips, so a hung-up socket left alone does not report POLLHUP forever.
 *
 * epoll forgets a registration when its file is closed; poll reports
 * POLLNVAL instead, and a new file on the same number replaces the stale
 * entry (told apart by device and inode), as an epoll ADD would succeed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "io_internal.h"
#include "wakeup.h"

#ifndef POLLRDHUP
#define POLLRDHUP 0
#endif

struct slot {
    void *tag;
    int fd;
    uint32_t want; /* IO_EV_* armed now */
    unsigned mode;
    dev_t dev;
    ino_t ino;
};

struct fired {
    int fd;
    void *tag;
    uint32_t events;
};

struct port_loop {
    asyncio_loop_t *loop;
    struct wakeup wake;  /* port_wake() signals it, port_poll() drains it */
    struct pollfd *pfd;  /* [0] is the wake-up's fd */
    struct slot *slots;  /* same index as pfd */
    struct fired *fired; /* events of one poll, copied before dispatch */
    size_t len, cap;
    unsigned *index; /* by fd: slot index + 1, 0 when none */
    size_t index_len;
};

/* ---- the arrays ---------------------------------------------------------------- */

static int grow(struct port_loop *p) {
    if (p->len < p->cap) return 0;
    size_t cap = p->cap ? p->cap * 2 : 16;
    struct pollfd *pfd = realloc(p->pfd, cap * sizeof *pfd);
    if (!pfd) return -ENOMEM;
    p->pfd = pfd;
    struct slot *slots = realloc(p->slots, cap * sizeof *slots);
    if (!slots) return -ENOMEM;
    p->slots = slots;
    struct fired *fired = realloc(p->fired, cap * sizeof *fired);
    if (!fired) return -ENOMEM;
    p->fired = fired;
    p->cap = cap;
    return 0;
}

static int index_reserve(struct port_loop *p, int fd) {
    if ((size_t)fd < p->index_len) return 0;
    size_t len = p->index_len ? p->index_len : 64;
    while (len <= (size_t)fd) len *= 2;
    unsigned *idx = realloc(p->index, len * sizeof *idx);
    if (!idx) return -ENOMEM;
    memset(idx + p->index_len, 0, (len - p->index_len) * sizeof *idx);
    p->index = idx;
    p->index_len = len;
    return 0;
}

static struct slot *slot_of(struct port_loop *p, int fd) {
    if (fd < 0 || (size_t)fd >= p->index_len || p->index[fd] == 0) return NULL;
    return &p->slots[p->index[fd] - 1];
}

static short to_poll(uint32_t ev) {
    short e = 0;
    if (ev & IO_EV_IN) e |= POLLIN;
    if (ev & IO_EV_PRI) e |= POLLPRI;
    if (ev & IO_EV_OUT) e |= POLLOUT;
    if (ev & IO_EV_RDHUP) e |= POLLRDHUP;
    return e;
}

static uint32_t from_poll(short e) {
    uint32_t ev = 0;
    if (e & POLLIN) ev |= IO_EV_IN;
    if (e & POLLPRI) ev |= IO_EV_PRI;
    if (e & POLLOUT) ev |= IO_EV_OUT;
    if (e & POLLERR) ev |= IO_EV_ERR;
    if (e & POLLHUP) ev |= IO_EV_HUP;
    if (POLLRDHUP && (e & POLLRDHUP)) ev |= IO_EV_RDHUP;
    if (e & POLLNVAL) ev |= IO_EV_NVAL;
    return ev;
}

/* Writes slot i's interest into its pollfd: nothing armed, nothing polled. */
static void arm(struct port_loop *p, size_t i, uint32_t want) {
    p->slots[i].want = want;
    p->pfd[i].fd = want ? p->slots[i].fd : -1;
    p->pfd[i].events = to_poll(want);
    p->pfd[i].revents = 0;
}

static void remove_slot(struct port_loop *p, struct slot *s) {
    size_t i = (size_t)(s - p->slots), last = p->len - 1;
    p->index[s->fd] = 0;
    if (i != last) {
        p->slots[i] = p->slots[last];
        p->pfd[i] = p->pfd[last];
        p->index[p->slots[i].fd] = (unsigned)i + 1;
    }
    p->len--;
}

/* ---- registrations ------------------------------------------------------------- */

int poller_add(struct port_loop *p, int fd, uint32_t events, unsigned mode, void *tag) {
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) return -EBADF;
    if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) return -EPERM; /* as epoll says */
    struct slot *s = slot_of(p, fd);
    if (s && s->dev == st.st_dev && s->ino == st.st_ino) return -EEXIST;
    if (!s) {
        if (index_reserve(p, fd) != 0 || grow(p) != 0) return -ENOMEM;
        s = &p->slots[p->len++];
        p->index[fd] = (unsigned)p->len;
    } /* else: the file registered was closed; this one takes its place */
    *s = (struct slot){.tag = tag, .fd = fd, .mode = mode, .dev = st.st_dev, .ino = st.st_ino};
    arm(p, (size_t)(s - p->slots), events);
    return 0;
}

int poller_mod(struct port_loop *p, int fd, uint32_t events, unsigned mode, void *tag) {
    struct slot *s = slot_of(p, fd);
    if (!s || s->tag != tag) return -ENOENT;
    s->mode = mode;
    if (s->want != events) arm(p, (size_t)(s - p->slots), events);
    return 0;
}

void poller_del(struct port_loop *p, int fd, void *tag) {
    struct slot *s = slot_of(p, fd);
    if (s && s->tag == tag) remove_slot(p, s);
}

void poller_forget(struct port_loop *p, int fd, void *tag) { poller_del(p, fd, tag); }

/* ---- the loop's side ------------------------------------------------------------- */

struct port_loop *port_loop_open(asyncio_loop_t *loop) {
    struct port_loop *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->loop = loop;
    if (wakeup_open(&p->wake) != 0 || grow(p) != 0) {
        port_loop_close(p);
        return NULL;
    }
    p->slots[0] = (struct slot){.tag = NULL, .fd = p->wake.fd};
    p->pfd[0] = (struct pollfd){.fd = p->wake.fd, .events = POLLIN};
    p->len = 1;
    return p;
}

void port_loop_close(struct port_loop *p) {
    if (!p) return;
    wakeup_close(&p->wake);
    free(p->pfd);
    free(p->slots);
    free(p->fired);
    free(p->index);
    free(p);
}

bool port_poll_needed(struct port_loop *p) { return p->len > 1 || wakeup_pending(&p->wake); }

void port_wake(struct port_loop *p) { wakeup_signal(&p->wake); }

/* What an edge registration stops watching once `ev` was reported: the
 * directions io.c's watch now calls ready. */
static uint32_t reported(uint32_t ev) {
    const uint32_t broken = IO_EV_ERR | IO_EV_HUP | IO_EV_NVAL;
    uint32_t done = 0;
    if (ev & (IO_EV_IN | IO_EV_PRI | IO_EV_RDHUP | broken))
        done |= IO_EV_IN | IO_EV_PRI | IO_EV_RDHUP;
    if (ev & (IO_EV_OUT | broken)) done |= IO_EV_OUT;
    return done;
}

void port_poll(struct port_loop *p, uint64_t deadline_us) {
    uint64_t now = port_now_us();
    if (deadline_us > now + 1000) port_stack_trim(256); /* idle: give memory back */
    struct timespec ts = {0, 0};
    if (deadline_us != PORT_FOREVER && deadline_us > now) {
        uint64_t us = deadline_us - now;
        ts.tv_sec = (time_t)(us / 1000000u);
        ts.tv_nsec = (long)(us % 1000000u) * 1000;
    }
    if (deadline_us) watch_rest(true);
    int n = ppoll(p->pfd, (nfds_t)p->len, deadline_us == PORT_FOREVER ? NULL : &ts, NULL);
    if (deadline_us) watch_rest(false);
    if (n <= 0) return;
    /* Copy the events out, disarming as epoll would, before any dispatch:
     * dispatching may add and remove entries. */
    size_t k = 0;
    bool wake = false;
    for (size_t i = 0; i < p->len && n > 0; i++) {
        if (!p->pfd[i].revents) continue;
        n--;
        uint32_t ev = from_poll(p->pfd[i].revents);
        p->pfd[i].revents = 0;
        if (i == 0) {
            wake = true;
            continue;
        }
        struct slot *s = &p->slots[i];
        p->fired[k++] = (struct fired){.fd = s->fd, .tag = s->tag, .events = ev};
        arm(p, i, s->mode == IO_REG_ONESHOT ? 0 : s->want & ~reported(ev));
    }
    if (wake) wakeup_drain(&p->wake);
    for (size_t i = 0; i < k; i++) {
        struct slot *s = slot_of(p, p->fired[i].fd);
        if (s && s->tag == p->fired[i].tag) /* still registered */
            port_io_dispatch(p, p->fired[i].tag, p->fired[i].events);
    }
}
