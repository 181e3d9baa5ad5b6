/*
 * Time and idling on pico-sdk: the SDK's 64-bit microsecond timer is the
 * clock, a hardware alarm claimed through the SDK (so pico_time keeps its
 * own and both coexist) wakes the core at the next deadline, and the loop
 * sleeps in __wfe() in between.
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
#include <stdint.h>

#include "../../core/driver.h"
#include "hardware/sync.h"
#include "hardware/timer.h"
#include "pico/platform.h"
#include "port_pico.h"

struct port_loop {
    volatile uint32_t wake_pending;
    int alarm;      /* claimed while loops are open on this core; -1 none */
    unsigned users; /* loops open on this core */
};

static struct port_loop port_loops[NUM_CORES] = {{.alarm = -1}, {.alarm = -1}};

uint64_t port_now_us(void) { return time_us_64(); }

/* The alarm only has to end the WFE: the loop re-reads the clock. */
static void alarm_fired(uint alarm) { (void)alarm; }

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
        hardware_alarm_set_callback((uint)alarm, alarm_fired);
        p->alarm = alarm;
    }
    p->users++;
    return p;
}

void port_loop_close(struct port_loop *p) {
    if (--p->users) return;
    hardware_alarm_set_callback((uint)p->alarm, NULL); /* cancels it too */
    hardware_alarm_unclaim((uint)p->alarm);
    p->alarm = -1;
}

void (*pico_port_watch_rest)(bool rest);

/* Returns with the wake-up flag consumed, or once deadline_us has passed. */
static void poll_until(struct port_loop *p, uint64_t deadline_us) {
    for (;;) {
        if (p->wake_pending && port_atomic_swap(&p->wake_pending, 0)) return;
        if (time_us_64() >= deadline_us) return;
        /* true: the deadline passed while it was being set */
        if (deadline_us != PORT_FOREVER &&
            hardware_alarm_set_target((uint)p->alarm, from_us_since_boot(deadline_us))) {
            return;
        }
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
