/*
 * Edge counts (machine_pin_edges_* of machine.h) on the RP2040: the edge
 * handler (machine_pin_edge.c) hands each latched edge of a counted pin to
 * count_edges(), which adds it to the pin's counts and signals a deferred
 * record; in loop context, every task waiting on a pin whose counts moved
 * is woken, and compares the counts with its own.
 */
#include <errno.h>
#include <stdint.h>

#include "../../core/driver.h"
#include "machine.h"
#include "machine_pin_edge.h"
#include "regs.h"

static volatile uint32_t rising[MACHINE_PIN_COUNT], falling[MACHINE_PIN_COUNT];
static volatile uint32_t moved[MACHINE_PIN_MASK_WORDS]; /* counts changed, waiters not yet woken */
static asyncio_waitq_t waiters[MACHINE_PIN_COUNT];

/* Interrupt context. Both edges latched: both happened (a short pulse). */
static void count_edges(unsigned gpio, uint32_t latched);

static void wake_moved(driver_deferred_t *d) {
    (void)d;
    for (unsigned word = 0; word < MACHINE_PIN_MASK_WORDS; word++) {
        uint32_t pins = port_atomic_swap(&moved[word], 0);
        for (unsigned bit = 0; pins; bit++, pins >>= 1)
            if (pins & 1u) driver_wake_all(&waiters[word * 32u + bit], 0);
    }
}

static driver_deferred_t counts_deferred = {.fn = wake_moved};

static void count_edges(unsigned gpio, uint32_t latched) {
    if (latched & IO_INT_EDGE_HIGH) rising[gpio]++;
    if (latched & IO_INT_EDGE_LOW) falling[gpio]++;
    moved[gpio / 32u] |= 1u << (gpio % 32u);
    driver_deferred_signal(&counts_deferred);
}

int machine_pin_edges_enable(machine_pin_t *pin) {
    if (!pin || pin->gpio >= MACHINE_PIN_COUNT || pin->mode != MACHINE_PIN_IN) return -EINVAL;
    edge_count_hook = count_edges;
    edge_count_start(pin->gpio);
    return 0;
}

void machine_pin_edges_now(const machine_pin_t *pin, machine_pin_edges_t *now) {
    if (!pin || pin->gpio >= MACHINE_PIN_COUNT || !now) return;
    uint32_t state = port_critical_enter();
    now->rising = rising[pin->gpio];
    now->falling = falling[pin->gpio];
    port_critical_exit(state);
}

int machine_pin_edges_wait(machine_pin_t *pin, machine_pin_edges_t *seen) {
    if (!pin || pin->gpio >= MACHINE_PIN_COUNT || !seen) return -EINVAL;
    unsigned gpio = pin->gpio;
    if (!(edge_counting[gpio / 32u] & (1u << (gpio % 32u)))) return -EINVAL;
    for (;;) {
        asyncio_task_t *self;
        int err = driver_wait_begin(&self);
        if (err) return err;
        machine_pin_edges_t now;
        machine_pin_edges_now(pin, &now);
        uint32_t n = (now.rising - seen->rising) + (now.falling - seen->falling);
        if (n) {
            *seen = now;
            return n > (uint32_t)INT32_MAX ? INT32_MAX : (int)n;
        }
        driver_deferred_add(driver_task_loop(self), &counts_deferred);
        err = driver_wait(self, &waiters[gpio], DRIVER_NO_DEADLINE, NULL, NULL);
        if (err) return err;
    }
}
