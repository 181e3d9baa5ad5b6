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
#include <stddef.h>
#include <stdint.h>

#include "../../core/driver.h"
#include "../../drivers/rp2/regs.h"
#include "rp2040.h"

/* One core, one loop at a time: every loop shares this state (a wake meant
 * for another loop costs at most one extra pass). */
static struct port_loop the_port_loop;

/* yield_armv6m.S reads the word at YIELD_PORT_WAKE as the wake-up flag:
 * whenever a task runs, quiet is 0 (the wait clears both at its end), so
 * that word is wake_pending. */
_Static_assert(offsetof(struct port_loop, wake_and_quiet) == YIELD_PORT_WAKE &&
                   sizeof the_port_loop.wake_and_quiet == 4,
               "yield_armv6m.h: the wake word");

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
    REG(TIMER_INTE) = TIMER_ALARM0_BIT;
    /* NVIC: any stale pending state cleared, then the line enabled. */
    REG(NVIC_ICPR) = 1u << IRQ_TIMER0;
    REG(NVIC_ISER) = 1u << IRQ_TIMER0;
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

/* Returns once a wake-up has come or deadline_us has passed. The alarm can
 * go off a little early in the emulator; the loop re-checks the clock after
 * every wake-up, so that costs one more pass, never an early return. */
static void poll_until(struct port_loop *p, uint64_t deadline_us);

void (*rp2040_watch_rest)(bool rest);

void port_poll(struct port_loop *p, uint64_t deadline_us) {
    void (*rest)(bool) = deadline_us ? rp2040_watch_rest : NULL; /* it sleeps: the watch rests */
    if (rest) rest(true);
    poll_until(p, deadline_us);
    if (rest) rest(false);
}

/* The whole wait is quiet (port_poll_quiet): it reads the clock and sets
 * the alarm, nothing of the loop's, so an interrupt handler may make tasks
 * ready meanwhile. One CPU: a handler runs whole before or after each of
 * the stores that begin and end it, and the "memory" clobbers keep the
 * loop's own accesses out of the quiet stretch. */
static void poll_until(struct port_loop *p, uint64_t deadline_us) {
    (void)p; /* the_port_loop: at a constant address, no register kept across the WFE */
    __asm volatile("" ::: "memory");
    the_port_loop.quiet = 1;
    for (;;) {
        if (the_port_loop.wake_pending) break;
        uint64_t now = port_now_us();
        if (now >= deadline_us) break;
        if (deadline_us != PORT_FOREVER) {
            alarm_arm(deadline_us, now);
            /* Had the deadline passed while arming, the alarm would wait for
             * the 32-bit counter to come round again. */
            if (port_now_us() >= deadline_us) break;
        }
        __asm volatile("wfe" ::: "memory");
    }
    /* The wake-up is consumed whichever way the wait ends: a plain store
     * may drop one that lands just before it, harmless, as the caller runs
     * what every wake-up announces (hand-overs, deferred records and the
     * threadsafe ring keep their own flags) right after this returns. */
    the_port_loop.wake_and_quiet = 0;
    __asm volatile("" ::: "memory");
}

bool port_poll_needed(struct port_loop *p) { return p->wake_pending != 0; }

/* From an interrupt handler this is belt and braces (the exception return
 * sets the event register anyway); from thread code SEV is what does it. */
void port_wake(struct port_loop *p) {
    p->wake_pending = 1;
    __asm volatile("sev" ::: "memory");
}
