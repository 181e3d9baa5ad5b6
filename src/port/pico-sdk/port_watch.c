/*
 * The slow-step watch on pico-sdk: a repeating timer from pico_time's
 * default alarm pool looks at the loop's step count every quarter threshold
 * (step_watch_look). While the loop sleeps in port_poll() the watch rests:
 * the timer still fires but looks at nothing, so a sleeping board with a
 * threshold set wakes briefly once per period. Linked only by programs that
 * set a threshold: port_poll() reaches the rest through a hook set here.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../core/driver.h"
#include "hardware/sync.h"
#include "hardware/timer.h"
#include "pico/time.h"
#include "port_pico.h"

static struct {
    struct step_watch *volatile watched; /* NULL: none, or the loop rests in port_poll() */
    struct step_watch *resting;          /* the one watched again after the rest */
    repeating_timer_t timer;
    bool timing;
    uint32_t last_step, since;
} watch;

static bool watch_look(repeating_timer_t *rt) {
    (void)rt;
    struct step_watch *w = watch.watched;
    if (w) step_watch_look(w, time_us_32(), &watch.last_step, &watch.since);
    return true;
}

static void watch_rest(bool rest) {
    if (rest) {
        watch.resting = watch.watched;
        watch.watched = NULL;
    } else if (watch.resting) {
        watch.last_step = 0; /* a rest is no part of a step */
        watch.watched = watch.resting;
    }
}

void port_watch(struct port_loop *p, struct step_watch *w) {
    (void)p;
    if (watch.timing) cancel_repeating_timer(&watch.timer);
    watch.timing = false;
    watch.watched = NULL;
    watch.resting = NULL;
    watch.last_step = 0;
    if (!w) return;
    uint32_t period =
        step_watch_period_us(atomic_load_explicit(&w->threshold_us, memory_order_relaxed));
    pico_port_watch_rest = watch_rest;
    watch.watched = w;
    /* negative: the period runs from one start to the next */
    watch.timing = add_repeating_timer_us(-(int64_t)period, watch_look, NULL, &watch.timer);
}
