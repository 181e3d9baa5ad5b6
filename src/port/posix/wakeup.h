/*
 * The loop's wake-up: an eventfd that port_wake() writes (from another
 * thread, a signal handler, or the loop itself) and the poller watches and
 * drains. Shared by both pollers.
 */
#ifndef CASYNCIO_WAKEUP_H
#define CASYNCIO_WAKEUP_H

#include <stdatomic.h>
#include <stdbool.h>

struct wakeup {
    int fd;              /* eventfd, -1 when not open */
    atomic_uint pending; /* a write to fd is outstanding */
};

int wakeup_open(struct wakeup *w); /* 0 or -errno */
void wakeup_close(struct wakeup *w);
void wakeup_signal(struct wakeup *w); /* async-signal-safe */
void wakeup_drain(struct wakeup *w);  /* the poller saw fd readable */
bool wakeup_pending(struct wakeup *w);

#endif
