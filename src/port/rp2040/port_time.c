/*
 * Time and idling: the 64-bit 1 MHz TIMER is the clock, ALARM0 wakes the CPU
 * at the next deadline, and the loop sleeps in WFE in between.
 *
 * Why WFE and not WFI: the loop must sleep only if no wake-up has happened
 * since it last looked, without a window where an interrupt could slip in
 * between the check and the sleep. Taking or returning from an exception sets
 * the CPU's event register, and WFE returns at once when it is set, so a
 * wake-up that lands after the check still ends the very next WFE. (WFI with
 * PRIMASK set is the other classic answer, but the emulator does not wake
 * from it for an interrupt that is already pending.)
 */
#include <stdbool.h>
#include <stdint.h>

#include "../../core/internal.h"
#include "regs.h"
#include "rp2040.h"

struct port_loop {
    volatile uint32_t wake_pending;
};

/* One core, one loop at a time: every loop shares this state (a wake meant
 * for another loop costs at most one extra pass). */
static struct port_loop the_port_loop;

/* ALARM0 compares only the low 32 bits of the time: a deadline further away
 * than this is reached in steps. */
#define ALARM_MAX_STEP_US 0x80000000u

uint64_t port_now_us(void) {
    uint32_t hi = REG(TIMER_TIMERAWH), lo, hi_again;
    /* Reading the raw registers latches nothing: retry if the high word
     * changed while the low word was read. */
    for (;;) {
        lo = REG(TIMER_TIMERAWL);
        hi_again = REG(TIMER_TIMERAWH);
        if (hi_again == hi) {
            return ((uint64_t)hi << 32) | lo;
        }
        hi = hi_again;
    }
}

void rp2040_timer_init(void) {
    REG(TIMER_INTE) = TIMER_ALARM0_BIT | TIMER_ALARM1_BIT;
    /* NVIC: any stale pending state cleared, then both lines enabled. */
    REG(NVIC_ICPR) = (1u << IRQ_TIMER0) | (1u << IRQ_TIMER1);
    REG(NVIC_ISER) = (1u << IRQ_TIMER0) | (1u << IRQ_TIMER1);
}

/* The alarm only has to end the WFE: the loop re-reads the clock. */
void rp2040_isr_timer_alarm0(void) { REG(TIMER_INTR) = TIMER_ALARM0_BIT; }

struct port_loop *port_loop_open(asyncio_loop_t *loop) {
    (void)loop;
    return &the_port_loop;
}

void port_loop_close(struct port_loop *p) { (void)p; }

static void alarm_arm(uint64_t deadline_us, uint64_t now_us) {
    uint64_t target = deadline_us;
    if (deadline_us - now_us > ALARM_MAX_STEP_US) {
        target = now_us + ALARM_MAX_STEP_US;
    }
    REG(TIMER_ALARM0) = (uint32_t)target;
}

/* ---- the slow-step watch ----------------------------------------------------------
 * ALARM1 looks at the loop's step count every quarter threshold while the
 * loop is busy; port_poll() disarms it while the loop sleeps, so a sleeping
 * board takes no watch interrupts. */

/* In one structure, so the code reaches all of it through one address. */
static struct {
    struct step_watch *volatile watched; /* NULL: none, or the loop rests in port_poll() */
    uint32_t period_us;                  /* a quarter of the threshold, at least 1 ms */
    uint32_t last_step, since;
} watch;

static void watch_arm(void) { REG(TIMER_ALARM1) = REG(TIMER_TIMERAWL) + watch.period_us; }

void rp2040_isr_timer_alarm1(void) {
    REG(TIMER_INTR) = TIMER_ALARM1_BIT;
    struct step_watch *w = watch.watched;
    if (!w) return;
    uint32_t step = atomic_load_explicit(&w->steps, memory_order_relaxed);
    uint32_t now = REG(TIMER_TIMERAWL);
    if (step != watch.last_step) {
        watch.last_step = step;
        watch.since = now;
    } else if (now - watch.since >= atomic_load_explicit(&w->threshold_us, memory_order_relaxed)) {
        atomic_store_explicit(&w->slow_since_us, watch.since, memory_order_relaxed);
        atomic_store_explicit(&w->slow_step, step, memory_order_relaxed);
    }
    watch_arm();
}

void port_watch(struct port_loop *p, struct step_watch *w) {
    (void)p;
    uint32_t state = port_critical_enter();
    REG(TIMER_ARMED) = TIMER_ALARM1_BIT; /* writing 1 disarms */
    watch.watched = w;
    watch.last_step = 0;
    if (w) {
        uint32_t period = atomic_load_explicit(&w->threshold_us, memory_order_relaxed) / 4u;
        watch.period_us = period < 1000u ? 1000u : period;
        watch_arm();
    }
    port_critical_exit(state);
}

/* Returns with the wake-up flag consumed, or once deadline_us has passed. The
 * alarm can go off a little early in the emulator; the loop re-checks the
 * clock after every wake-up, so that costs one more pass, never an early
 * return. */
static void poll_until(struct port_loop *p, uint64_t deadline_us);

void (*rp2040_after_poll)(void);

void port_poll(struct port_loop *p, uint64_t deadline_us) {
    struct step_watch *w = watch.watched;
    bool rest = w && deadline_us != 0;
    if (rest) {
        watch.watched = NULL;                /* an alarm already pending finds nothing to watch */
        REG(TIMER_ARMED) = TIMER_ALARM1_BIT; /* writing 1 disarms */
    }
    poll_until(p, deadline_us);
    if (rest) {
        watch.last_step = 0; /* a rest is no part of a step */
        watch.watched = w;
        watch_arm();
    }
    if (rp2040_after_poll) rp2040_after_poll();
}

static void poll_until(struct port_loop *p, uint64_t deadline_us) {
    for (;;) {
        if (p->wake_pending && port_atomic_swap(&p->wake_pending, 0)) {
            return;
        }
        uint64_t now = port_now_us();
        if (now >= deadline_us) {
            return;
        }
        if (deadline_us != PORT_FOREVER) {
            alarm_arm(deadline_us, now);
            /* Had the deadline passed while arming, the alarm would wait for
             * the 32-bit counter to come round again. */
            if (port_now_us() >= deadline_us) {
                return;
            }
        }
        __asm volatile("wfe" ::: "memory");
    }
}

bool port_poll_needed(struct port_loop *p) { return p->wake_pending != 0; }

/* An interrupt handler has something for the loop: returning from the
 * exception ends its WFE, and this makes it look. */
void rp2040_wake_from_isr(void) { the_port_loop.wake_pending = 1; }

/* From an interrupt handler this is belt and braces (the exception return
 * sets the event register anyway); from thread code SEV is what does it. */
void port_wake(struct port_loop *p) {
    p->wake_pending = 1;
    __asm volatile("sev" ::: "memory");
}
