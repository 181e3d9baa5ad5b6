/*
 * Time and idling on pico-sdk: the SDK's 64-bit microsecond timer is the
 * clock, a hardware alarm claimed through the SDK (so pico_time keeps its
 * own and both coexist) wakes the core at the next deadline, and the loop
 * sleeps in __wfe() in between.
 *
 * The alarm is claimed through the SDK, but programmed here (its register,
 * its interrupt enable) and its interrupt is taken by a handler of the
 * port's own installed with irq_set_exclusive_handler, which programs with
 * pico_time link anyway: the SDK's per-alarm callbacks
 * (hardware_alarm_set_callback) would bring their dispatch and, through
 * their removal, the shared-IRQ code, about 1.2 KB of flash.
 *
 * Why WFE: the loop must sleep only if no wake-up has happened since it
 * last looked, without a window where an interrupt could slip in between
 * the check and the sleep. Taking an interrupt sets the core's event
 * register, and WFE returns at once when it is set, so a wake-up that lands
 * after the check still ends the very next WFE. A wake-up from the other
 * core comes with SEV, which sets both cores' event registers.
 *
 * Each core has its own record and its own alarm, whose interrupt is taken
 * by the core that set its callback: a loop runs on the core that created
 * it (asyncio_run on core 1 creates its loop there).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../core/driver.h"
#include "hardware/irq.h"
#include "hardware/regs/addressmap.h"
#include "hardware/regs/sio.h"
#include "hardware/sync.h"
#include "hardware/timer.h"
#include "pico/platform.h"
#include "port_pico.h"

struct port_loop {
    volatile uint32_t wake_pending; /* first: yield_armv6m.S tests it (YIELD_PORT_WAKE) */
    int alarm;      /* claimed while loops are open on this core; -1 none */
    unsigned users; /* loops open on this core */
};

#if PORT_ASM_YIELD
_Static_assert(offsetof(struct port_loop, wake_pending) == YIELD_PORT_WAKE, "yield_armv6m.h");
_Static_assert(YIELD_CPUID_REG == SIO_BASE + SIO_CPUID_OFFSET, "yield_armv6m.S's CPUID register");
#endif

static struct port_loop port_loops[NUM_CORES] = {{.alarm = -1}, {.alarm = -1}};

uint64_t port_now_us(void) { return time_us_64(); }

/* The alarm only has to end the WFE (the loop re-reads the clock): its
 * interrupt is cleared. Each core takes only its own alarm's interrupt. */
static void alarm_irq(void) { timer_hw->intr = 1u << port_loops[get_core_num()].alarm; }

static uint alarm_irq_num(int alarm) {
    return timer_hardware_alarm_get_irq_num(timer_hw, (uint)alarm);
}

struct port_loop *port_loop_open(asyncio_loop_t *loop) {
    (void)loop;
#if defined(__ARM_ARCH_8M_MAIN__)
    /* MSPLIM may hold the bottom of the core's main stack (pico-sdk's stack
     * guards set it); task stacks come from the heap, below it. Their
     * canaries guard them. */
    __asm volatile("msr msplim, %0" ::"r"(0u));
#endif
    struct port_loop *p = &port_loops[get_core_num()];
    if (p->alarm < 0) {
        int alarm = hardware_alarm_claim_unused(false);
        if (alarm < 0) return NULL; /* every hardware alarm is taken */
        p->alarm = alarm;
        irq_set_exclusive_handler(alarm_irq_num(alarm), alarm_irq);
        hw_set_bits(&timer_hw->inte, 1u << alarm);
        irq_set_enabled(alarm_irq_num(alarm), true);
    }
    p->users++;
    return p;
}

/* The alarm disarmed, its interrupt off and its handler removed before it
 * goes back to the SDK. */
void port_loop_close(struct port_loop *p) {
    if (--p->users) return;
    uint32_t mask = 1u << p->alarm;
    irq_set_enabled(alarm_irq_num(p->alarm), false);
    hw_clear_bits(&timer_hw->inte, mask);
    timer_hw->armed = mask; /* writing its bit disarms it */
    timer_hw->intr = mask;
    irq_remove_handler(alarm_irq_num(p->alarm), alarm_irq);
    hardware_alarm_unclaim((uint)p->alarm);
    p->alarm = -1;
}

/* Arms the alarm for deadline_us; false when that time has already come.
 * The alarm fires when the low 32 bits of the timer equal its register:
 * one set for a time that has passed would wait for the counter to wrap,
 * so it is disarmed again; one more than 2^32 us ahead fires early, and
 * the loop, still before its deadline, sets it again. */
static bool alarm_set(struct port_loop *p, uint64_t deadline_us) {
    timer_hw->alarm[p->alarm] = (uint32_t)deadline_us; /* arms it */
    if (time_us_64() < deadline_us) return true;
    timer_hw->armed = 1u << p->alarm;
    return false;
}

void (*pico_port_watch_rest)(bool rest);

/* Returns with the wake-up flag consumed, or once deadline_us has passed. */
static void poll_until(struct port_loop *p, uint64_t deadline_us) {
    for (;;) {
        if (p->wake_pending && port_atomic_swap(&p->wake_pending, 0)) return;
        if (time_us_64() >= deadline_us) return;
        if (deadline_us != PORT_FOREVER && !alarm_set(p, deadline_us)) return;
        __wfe();
    }
}

void port_poll(struct port_loop *p, uint64_t deadline_us) {
    void (*rest)(bool) = deadline_us ? pico_port_watch_rest : NULL; /* it sleeps: the watch rests */
    if (rest) rest(true);
    poll_until(p, deadline_us);
    if (rest) rest(false);
}

bool port_poll_needed(struct port_loop *p) { return p->wake_pending != 0; }

/* From an interrupt handler on the loop's core, returning from the
 * exception ends its WFE; from thread code or the other core, SEV does. */
void port_wake(struct port_loop *p) {
    p->wake_pending = 1;
    __sev();
}
