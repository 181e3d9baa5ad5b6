/*
 * machine_button: a small state machine over the pin's edge counts. After
 * any edge the button waits debounce_ms for the contacts to settle and then
 * reads the level: a change of state is an event. While it is down and no
 * LONG has been reported, the wait for the next edge has the LONG deadline
 * as its timeout scope.
 */
#include "../../include/machine_button.h"

#include <errno.h>

#include "../../include/asyncio.h"

int machine_button_init(machine_button_t *b, unsigned gpio, bool active_low) {
    if (!b) return -EINVAL;
    int err = machine_pin_init(&b->pin, gpio, MACHINE_PIN_IN);
    if (err) return err;
    machine_pin_pull(&b->pin, active_low ? MACHINE_PIN_PULL_UP : MACHINE_PIN_PULL_DOWN);
    err = machine_pin_edges_enable(&b->pin);
    if (err) return err;
    b->active_low = active_low;
    b->debounce_ms = MACHINE_BUTTON_DEBOUNCE_MS;
    b->long_ms = MACHINE_BUTTON_LONG_MS;
    b->double_ms = MACHINE_BUTTON_DOUBLE_MS;
    machine_pin_edges_now(&b->pin, &b->seen);
    b->pressed = machine_pin_value(&b->pin) == (active_low ? 0 : 1);
    b->long_sent = b->have_last_press = false;
    b->pressed_at_us = b->last_press_us = 0;
    b->n_queued = 0;
    return 0;
}

bool machine_button_pressed(const machine_button_t *b) { return b && b->pressed; }

static void queue(machine_button_t *b, int event) {
    if (b->n_queued < sizeof b->queued) b->queued[b->n_queued++] = (uint8_t)event;
}

static int unqueue(machine_button_t *b) {
    int event = b->queued[0];
    b->queued[0] = b->queued[1];
    b->n_queued--;
    return event;
}

/* The next edge, or 1 (LONG) when the button stays down past its deadline. */
static int wait_edge_or_long(machine_button_t *b) {
    if (!b->pressed || b->long_sent || !b->long_ms) {
        int r = machine_pin_edges_wait(&b->pin, &b->seen);
        return r < 0 ? r : 0;
    }
    asyncio_timeout_t scope;
    asyncio_timeout_enter_at_us(&scope, b->pressed_at_us + (uint64_t)b->long_ms * 1000u);
    int r = machine_pin_edges_wait(&b->pin, &b->seen);
    bool expired = asyncio_timeout_exit(&scope);
    if (r == -ETIMEDOUT && expired) return 1;
    return r < 0 ? r : 0;
}

/* After an edge: settle, then the state the level says. */
static int settle(machine_button_t *b) {
    int err = asyncio_sleep_ms(b->debounce_ms);
    if (err) return err;
    machine_pin_edges_now(&b->pin, &b->seen); /* the bounces are absorbed */
    bool down = machine_pin_value(&b->pin) == (b->active_low ? 0 : 1);
    if (down == b->pressed) return 0;
    b->pressed = down;
    uint64_t now = asyncio_ticks_us();
    if (!down) {
        queue(b, MACHINE_BUTTON_RELEASE);
        return 0;
    }
    b->pressed_at_us = now;
    b->long_sent = false;
    queue(b, MACHINE_BUTTON_PRESS);
    if (b->double_ms && b->have_last_press &&
        now - b->last_press_us <= (uint64_t)b->double_ms * 1000u) {
        queue(b, MACHINE_BUTTON_DOUBLE);
        b->have_last_press = false; /* a third press starts afresh */
    } else {
        b->last_press_us = now;
        b->have_last_press = true;
    }
    return 0;
}

int machine_button_wait(machine_button_t *b) {
    if (!b) return -EINVAL;
    for (;;) {
        if (b->n_queued) return unqueue(b);
        int r = wait_edge_or_long(b);
        if (r < 0) return r;
        if (r == 1) {
            b->long_sent = true;
            return MACHINE_BUTTON_LONG;
        }
        r = settle(b);
        if (r < 0) return r;
    }
}
