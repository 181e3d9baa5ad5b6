/*
 * The slow-step watch's counters, shared by the core (which counts steps and
 * reports the slow one, watch.c) and the port's watcher (a thread on POSIX, a
 * timer alarm on the RP2040), which looks at them through port_watch().
 *
 * The loop counts steps (every switch between tasks and the loop); the port
 * watches the count and, when it has not moved for the threshold while the
 * loop was busy, records the step it saw. The step ends with its report.
 */
#ifndef CASYNCIO_STEP_WATCH_H
#define CASYNCIO_STEP_WATCH_H

#include <stdatomic.h>
#include <stdint.h>

struct step_watch {
    _Atomic uint32_t steps;         /* the current step's number */
    _Atomic uint32_t slow_step;     /* set by the port: this step is slow (0: none, so
                                       step 0, once per 2^32, goes unwatched) */
    _Atomic uint32_t slow_since_us; /* low 32 bits of port_now_us() when the port first saw it */
    _Atomic uint32_t threshold_us;  /* 0: not watched */
};

/* For the ports' watchers. How often to look: a quarter of the threshold
 * (at least 1 ms), so a step is reported once it has run for the threshold
 * plus at most a quarter. */
static inline uint32_t step_watch_period_us(uint32_t threshold_us) {
    uint32_t period = threshold_us / 4u;
    return period < 1000u ? 1000u : period;
}

/* One look at `w` at now_us (the low 32 bits of port_now_us()): a step that
 * has not moved since *since_us, for the threshold, is marked slow. *last_step
 * and *since_us are the watcher's memory between looks (0 and anything to
 * start afresh). */
static inline void step_watch_look(struct step_watch *w, uint32_t now_us, uint32_t *last_step,
                                   uint32_t *since_us) {
    uint32_t step = atomic_load_explicit(&w->steps, memory_order_relaxed);
    if (step != *last_step) {
        *last_step = step;
        *since_us = now_us;
        return;
    }
    uint32_t threshold = atomic_load_explicit(&w->threshold_us, memory_order_relaxed);
    if (threshold && now_us - *since_us >= threshold &&
        atomic_load_explicit(&w->slow_step, memory_order_relaxed) != step) {
        atomic_store_explicit(&w->slow_since_us, *since_us, memory_order_relaxed);
        atomic_store_explicit(&w->slow_step, step, memory_order_relaxed);
    }
}

#endif
