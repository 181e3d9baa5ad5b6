/*
 * Time and idling: TIMER0 counts down from 0xffffffff at the 20 MHz system
 * clock forever, and its wrap interrupt keeps the high word of a 64-bit tick
 * count; TIMER1 is the alarm, loaded with the ticks left until the next
 * deadline; the loop sleeps in WFI in between.
 *
 * Why WFI with interrupts masked: the loop must sleep only if no wake-up has
 * happened since it last looked, with no window where an interrupt could
 * slip in between the check and the sleep. WFI returns when an interrupt
 * becomes pending even while PRIMASK masks it; the handler then runs as soon
 * as the mask is lifted, after the WFI. (The RP2040 port uses WFE and the
 * event register instead; qemu treats WFE as a mere yield, so a WFE loop
 * would spin there, while WFI really stops the emulated CPU, and under
 * -icount lets its clock jump to the next timer.)
 */
#include <stdbool.h>
#include <stdint.h>

#include "../../core/internal.h"
#include "an505.h"

struct port_loop {
    volatile uint32_t wake_pending;
};

/* One core, one loop at a time: every loop shares this state (a wake meant
 * for another loop costs at most one extra pass). */
static struct port_loop the_port_loop;

/* TIMER0 wraps every 2^32 ticks (214 s): the count of wraps so far. */
static volatile uint32_t clock_wraps;

/* TIMER1 counts at most 2^32 - 1 ticks: a deadline further away than this
 * is reached in steps (the loop re-arms after each). */
#define ALARM_MAX_STEP_US 100000000u

void an505_timer_init(void) {
    REG(TIMER_CTRL(TIMER0_BASE)) = 0;
    REG(TIMER_RELOAD(TIMER0_BASE)) = 0xffffffffu;
    REG(TIMER_VALUE(TIMER0_BASE)) = 0xffffffffu;
    REG(TIMER_INTCLEAR(TIMER0_BASE)) = 1;
    REG(TIMER_CTRL(TIMER0_BASE)) = TIMER_CTRL_ENABLE | TIMER_CTRL_IRQ;
    REG(TIMER_CTRL(TIMER1_BASE)) = 0;
    REG(TIMER_INTCLEAR(TIMER1_BASE)) = 1;
    REG(NVIC_ICPR0) = (1u << IRQ_TIMER0) | (1u << IRQ_TIMER1);
    REG(NVIC_ISER0) = (1u << IRQ_TIMER0) | (1u << IRQ_TIMER1);
}

void an505_isr_timer0(void) {
    REG(TIMER_INTCLEAR(TIMER0_BASE)) = 1;
    clock_wraps++;
}

/* The alarm only has to end the WFI: the loop re-reads the clock. It stops
 * the timer, which would otherwise reload and go off again. */
void an505_isr_timer1(void) {
    REG(TIMER_CTRL(TIMER1_BASE)) = 0;
    REG(TIMER_INTCLEAR(TIMER1_BASE)) = 1;
}

/* Ticks since start-up. With interrupts masked, a wrap that has happened but
 * not yet been counted shows as TIMER0's pending interrupt status; the
 * counter is then read again, surely after the wrap. */
static uint64_t now_ticks(void) {
    uint32_t state = port_critical_enter();
    uint32_t wraps = clock_wraps;
    uint32_t value = REG(TIMER_VALUE(TIMER0_BASE));
    if (REG(TIMER_INTCLEAR(TIMER0_BASE)) & 1u) {
        wraps++;
        value = REG(TIMER_VALUE(TIMER0_BASE));
    }
    port_critical_exit(state);
    return ((uint64_t)wraps << 32) | (0xffffffffu - value);
}

uint64_t port_now_us(void) { return now_ticks() / AN505_TICKS_PER_US; }

struct port_loop *port_loop_open(asyncio_loop_t *loop) {
    (void)loop;
    return &the_port_loop;
}

void port_loop_close(struct port_loop *p) { (void)p; }

/* Relative to now_us, which was read before: the alarm goes off at the
 * deadline or a little after, never before. The counter starts from the
 * ticks left; its reload value is the longest count, so that an expiry the
 * handler has not stopped yet is followed by nothing for 214 s. (Reloading
 * the same count instead made qemu -icount's idle clock jump one period too
 * far: every sleep took twice its length.) */
static void alarm_arm(uint64_t deadline_us, uint64_t now_us) {
    uint64_t step = deadline_us - now_us;
    if (step > ALARM_MAX_STEP_US) step = ALARM_MAX_STEP_US;
    uint32_t ticks = (uint32_t)step * AN505_TICKS_PER_US;
    REG(TIMER_CTRL(TIMER1_BASE)) = 0;
    REG(TIMER_RELOAD(TIMER1_BASE)) = 0xffffffffu;
    REG(TIMER_VALUE(TIMER1_BASE)) = ticks;
    REG(TIMER_INTCLEAR(TIMER1_BASE)) = 1;
    REG(TIMER_CTRL(TIMER1_BASE)) = TIMER_CTRL_ENABLE | TIMER_CTRL_IRQ;
}

/* Returns with the wake-up flag consumed, or once deadline_us has passed. */
void port_poll(struct port_loop *p, uint64_t deadline_us) {
    for (;;) {
        if (p->wake_pending && port_atomic_swap(&p->wake_pending, 0)) return;
        uint64_t now = port_now_us();
        if (now >= deadline_us) return;
        uint32_t state = port_critical_enter();
        if (deadline_us != PORT_FOREVER) alarm_arm(deadline_us, now);
        if (!p->wake_pending) __asm volatile("wfi" ::: "memory");
        port_critical_exit(state); /* the handler that woke it runs here */
    }
}

bool port_poll_needed(struct port_loop *p) { return p->wake_pending != 0; }

/* From an interrupt handler the WFI has already ended (the interrupt became
 * pending); from thread code the loop is not asleep. The flag makes it look. */
void port_wake(struct port_loop *p) { p->wake_pending = 1; }

/* No slow-step watch on this port (PORT_SLOW_TASK_MS is 0): a threshold set
 * by a firmware is accepted and never reports. */
void port_watch(struct port_loop *p, struct step_watch *w) {
    (void)p;
    (void)w;
}
