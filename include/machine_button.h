/*
 * A push button a task awaits, debounced, with the events of the popular
 * MicroPython Pushbutton primitive: press, release, long press, double
 * press. Built on the pin's edge counts (machine.h), so a press that comes
 * while the task is busy elsewhere is still reported at its next wait.
 *
 *     machine_button_t b;
 *     machine_button_init(&b, 14, true);   // to ground, internal pull-up
 *     for (;;) {
 *         int ev = machine_button_wait(&b);
 *         if (ev == MACHINE_BUTTON_PRESS) next_page();
 *         else if (ev < 0) break;           // cancelled
 *     }
 *
 * One task waits on a button at a time (the button's state is its own).
 */
#ifndef MACHINE_BUTTON_H
#define MACHINE_BUTTON_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

#ifdef __cplusplus
extern "C" {
#endif

enum machine_button_event {
    MACHINE_BUTTON_PRESS = 1,   /* went down (after debouncing) */
    MACHINE_BUTTON_RELEASE = 2, /* came up */
    MACHINE_BUTTON_LONG = 3,    /* held down for long_ms (once per press) */
    MACHINE_BUTTON_DOUBLE = 4,  /* pressed again within double_ms of the last
                                   press: reported after that PRESS */
};

#define MACHINE_BUTTON_DEBOUNCE_MS 20u
#define MACHINE_BUTTON_LONG_MS     1000u
#define MACHINE_BUTTON_DOUBLE_MS   400u

typedef struct machine_button {
    machine_pin_t pin;
    bool active_low;      /* pressed = the pin reads 0 */
    uint32_t debounce_ms; /* settle time after an edge */
    uint32_t long_ms;     /* 0: no LONG events */
    uint32_t double_ms;   /* 0: no DOUBLE events */
    /* private */
    machine_pin_edges_t seen;
    bool pressed, long_sent, have_last_press;
    uint64_t pressed_at_us, last_press_us;
    uint8_t queued[2], n_queued;
} machine_button_t;

/* Sets the button up on `gpio`: an input with the pull-up (active_low) or
 * the pull-down, edges counted from now, the default times (which the
 * caller may change in the record). Returns 0 or -EINVAL / -EBUSY
 * (machine_pin_edges_enable). Does not suspend. */
int machine_button_init(machine_button_t *b, unsigned gpio, bool active_low);

/* Suspends until the button's next event; returns it (enum
 * machine_button_event), or -EPERM / -ECANCELED / -ETIMEDOUT. */
int machine_button_wait(machine_button_t *b);

/* Whether the button is down now (debounced as of the last event). */
bool machine_button_pressed(const machine_button_t *b);

#ifdef __cplusplus
}
#endif
#endif
