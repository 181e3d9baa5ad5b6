/*
 * The slow-step watch on pico-sdk: a repeating timer from pico_time's
 * default alarm pool looks at the loop's step count every quarter threshold
 * (step_watch_look). While the loop sleeps in port_poll() the watch rests:
 * its timer is cancelled, so a sleeping board takes no watch interrupts,
 * and started again when the loop wakes. Linked only by programs that set
 * a threshold: port_poll() reaches the rest through a hook set here.
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
    uint32_t period_us; /* a quarter of the threshold, at least 1 ms */
    uint32_t last_step, since;
} watch;

static bool watch_look(repeating_timer_t *rt) {
    (void)rt;
    struct step_watch *w = watch.watched;
    if (w) step_watch_look(w, time_us_32(), &watch.last_step, &watch.since);
    return true;
}

static void watch_stop(void) {
    if (watch.timing) cancel_repeating_timer(&watch.timer);
    watch.timing = false;
}

/* negative: the period runs from one start to the next */
static void watch_start(void) {
    watch.timing =
        add_repeating_timer_us(-(int64_t)watch.period_us, watch_look, NULL, &watch.timer);
}

static void watch_rest(bool rest) {
    if (rest) {
        watch.resting = watch.watched;
        watch.watched = NULL;
        if (watch.resting) watch_stop();
    } else if (watch.resting) {
        watch.last_step = 0; /* a rest is no part of a step */
        watch.watched = watch.resting;
        watch_start();
    }
}

void port_watch(struct port_loop *p, struct step_watch *w) {
    (void)p;
    watch_stop();
    watch.watched = NULL;
    watch.resting = NULL;
    watch.last_step = 0;
    if (!w) return;
    watch.period_us =
        step_watch_period_us(atomic_load_explicit(&w->threshold_us, memory_order_relaxed));
    pico_port_watch_rest = watch_rest;
    watch.watched = w;
    watch_start();
}
