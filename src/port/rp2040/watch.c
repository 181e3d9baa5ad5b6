/*
 * The slow-step watch on the RP2040: the TIMER's ALARM1 looks at the loop's
 * step count every quarter threshold while the loop is busy; port_poll()
 * lets it rest (disarmed) while the loop sleeps, so a sleeping board takes
 * no watch interrupts. A file of its own, linked only by firmware that sets
 * a slow-step threshold: the vector table's weak default handler is
 * overridden here, and port_poll() reaches the rest through a hook set by
 * the first port_watch().
 */
#include <stdbool.h>
#include <stdint.h>

#include "../../core/driver.h"
#include "../../drivers/rp2/regs.h"
#include "rp2040.h"

/* In one structure, so the code reaches all of it through one address. */
static struct {
    struct step_watch *volatile watched; /* NULL: none, or the loop rests in port_poll() */
    struct step_watch *resting;          /* the one watched again after the rest */
    uint32_t period_us;                  /* a quarter of the threshold, at least 1 ms */
    uint32_t last_step, since;
} watch;

static void watch_arm(void) { REG(TIMER_ALARM1) = REG(TIMER_TIMERAWL) + watch.period_us; }

void rp2040_isr_timer_alarm1(void) {
    REG(TIMER_INTR) = TIMER_ALARM1_BIT;
    struct step_watch *w = watch.watched;
    if (!w) return;
    step_watch_look(w, REG(TIMER_TIMERAWL), &watch.last_step, &watch.since);
    watch_arm();
}

/* port_poll()'s hook around a sleep. */
static void watch_rest(bool rest) {
    if (rest) {
        watch.resting = watch.watched;
        watch.watched = NULL;                /* an alarm already pending finds nothing to watch */
        REG(TIMER_ARMED) = TIMER_ALARM1_BIT; /* writing 1 disarms */
    } else if (watch.resting) {
        watch.last_step = 0; /* a rest is no part of a step */
        watch.watched = watch.resting;
        watch_arm();
    }
}

void port_watch(struct port_loop *p, struct step_watch *w) {
    (void)p;
    uint32_t state = port_critical_enter();
    REG(TIMER_ARMED) = TIMER_ALARM1_BIT; /* writing 1 disarms */
    watch.watched = w;
    watch.last_step = 0;
    if (w) {
        watch.period_us =
            step_watch_period_us(atomic_load_explicit(&w->threshold_us, memory_order_relaxed));
        rp2040_watch_rest = watch_rest;
        REG(TIMER_INTE) |= TIMER_ALARM1_BIT;
        REG(NVIC_ICPR) = 1u << IRQ_TIMER1;
        REG(NVIC_ISER) = 1u << IRQ_TIMER1;
        watch_arm();
    }
    port_critical_exit(state);
}
