/* The loop's wake-up eventfd (wakeup.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "wakeup.h"

int wakeup_open(struct wakeup *w) {
    atomic_init(&w->pending, 0);
    w->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return w->fd < 0 ? -errno : 0;
}

void wakeup_close(struct wakeup *w) {
    if (w->fd >= 0) close(w->fd);
    w->fd = -1;
}

/* One write per batch of wake-ups: later ones see `pending` and skip it. */
void wakeup_signal(struct wakeup *w) {
    if (atomic_exchange_explicit(&w->pending, 1, memory_order_acq_rel)) return;
    uint64_t one = 1;
    ssize_t n = write(w->fd, &one, sizeof one); /* async-signal-safe */
    (void)n;
}

/* Read first, then clear: a wakeup_signal() between the two finds `pending`
 * still set and skips its write, which is fine because everything a wake-up
 * announces (flags, the threadsafe ring) is checked after this. Clearing
 * first would let that signal's write be swallowed by this read while
 * `pending` stayed 1, and every later signal would skip its write. */
void wakeup_drain(struct wakeup *w) {
    uint64_t count;
    ssize_t n = read(w->fd, &count, sizeof count);
    (void)n;
    atomic_store_explicit(&w->pending, 0, memory_order_seq_cst);
}

bool wakeup_pending(struct wakeup *w) {
    return atomic_load_explicit(&w->pending, memory_order_acquire) != 0;
}
