/*
 * call_soon_threadsafe: callbacks queued by other threads and interrupt
 * handlers in a fixed ring in the loop (an interrupt handler cannot
 * allocate), guarded by the port's critical section, and run by the loop
 * when port_poll() returns. The first call sets the loop's drain hook, so a
 * program that never calls it links none of this.
 */
#include "internal.h"

static void run_threadsafe_calls(asyncio_loop_t *loop) {
    if (!port_atomic_swap(&loop->threadsafe_pending, 0)) return;
    struct threadsafe_call calls[ASYNCIO_THREADSAFE_SLOTS];
    uint32_t state = port_critical_enter();
    uint32_t n = loop->threadsafe_len;
    for (uint32_t i = 0; i < n; i++)
        calls[i] = loop->threadsafe[(loop->threadsafe_head + i) & (ASYNCIO_THREADSAFE_SLOTS - 1)];
    loop->threadsafe_head = (loop->threadsafe_head + n) & (ASYNCIO_THREADSAFE_SLOTS - 1);
    loop->threadsafe_len = 0;
    port_critical_exit(state);
    for (uint32_t i = 0; i < n; i++) calls[i].fn(calls[i].arg);
}

int asyncio_loop_call_soon_threadsafe(asyncio_loop_t *loop, void (*fn)(void *), void *arg) {
    if (!loop || !fn || loop->closed) return -EINVAL;
    uint32_t state = port_critical_enter();
    bool full = loop->threadsafe_len == ASYNCIO_THREADSAFE_SLOTS;
    if (!full) {
        uint32_t at =
            (loop->threadsafe_head + loop->threadsafe_len) & (ASYNCIO_THREADSAFE_SLOTS - 1);
        loop->threadsafe[at].fn = fn;
        loop->threadsafe[at].arg = arg;
        loop->threadsafe_len++;
        atomic_store_explicit(&loop->drain_threadsafe, run_threadsafe_calls, memory_order_release);
        port_atomic_swap(&loop->threadsafe_pending, 1);
    }
    port_critical_exit(state);
    if (full) return -EAGAIN;
    port_wake(loop->port);
    return 0;
}
