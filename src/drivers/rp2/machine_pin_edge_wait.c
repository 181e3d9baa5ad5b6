/*
 * machine_pin_wait_edge on both RP2 ports (machine_pin_edge_wait.h): the
 * wait's hand-over record (driver_isr_wake) lives in the waiting call's
 * frame; the port's edge_arm() parks it in the pin's slot, and the port's
 * interrupt handler hands the task over with the first edge. One task
 * waits on a pin at a time.
 */
#include <errno.h>

#include "machine_pin_edge_wait.h"

/* A wait for an edge, in machine_pin_wait_edge's frame. */
struct edge_wait {
    driver_isr_wake_t wake;
    unsigned gpio;
};

/* Cancelled or timed out before the task was woken: the pin stops
 * listening, and an edge handed over meanwhile is taken back. */
static void edge_interrupted(asyncio_task_t *t, int reason) {
    struct edge_wait *w = driver_wait_data(t);
    edge_disarm(w->gpio, &w->wake);
    driver_isr_wake_withdraw(&w->wake);
    driver_wake(t, reason);
}

int machine_pin_wait_edge(machine_pin_t *pin, unsigned edges) {
    if (!pin || !edges || (edges & ~(MACHINE_PIN_RISING | MACHINE_PIN_FALLING))) return -EINVAL;
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err) return err;
    struct edge_wait w = {.gpio = pin->gpio};
    driver_isr_wake_init(&w.wake, self);
    err = edge_arm(w.gpio, edges, &w.wake);
    if (err) return err;
    return driver_wait(self, NULL, DRIVER_NO_DEADLINE, edge_interrupted, &w);
}
