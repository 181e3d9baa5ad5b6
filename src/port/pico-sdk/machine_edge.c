/*
 * machine_pin_wait_edge on pico-sdk, through the SDK's GPIO interrupt
 * dispatch: the pins tasks wait on get a raw handler of casyncio's
 * (gpio_add_raw_irq_handler_masked), so the program's own GPIO callback
 * (gpio_set_irq_callback, gpio_set_irq_enabled_with_callback) keeps
 * receiving the events of every other pin. A pin that a task has waited on
 * stays casyncio's.
 *
 * Waiting arms the pin's edge events on this core and parks the task. The
 * handler records the first edge, disarms the pin and signals a deferred
 * record; after that poll the loop wakes the pin's task with the edge.
 * One task waits on a pin at a time.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../core/driver.h"
#include "hardware/gpio.h"
#include "hardware/irq.h"
#include "machine.h"

/* Sets of pins: MACHINE_PIN_MASK_WORDS words, pin n in word n / 32 (the
 * RP2350B's GPIO 32..47 in the second). */
#define PIN_WORD(gpio) ((gpio) / 32u)
#define PIN_BIT(gpio)  (1u << ((gpio) % 32u))

static asyncio_task_t *edge_waiter[MACHINE_PIN_COUNT];
static volatile uint8_t edge_seen[MACHINE_PIN_COUNT];        /* MACHINE_PIN_RISING / _FALLING */
static volatile uint32_t edge_armed[MACHINE_PIN_MASK_WORDS]; /* listening */
static volatile uint32_t edge_fired[MACHINE_PIN_MASK_WORDS]; /* seen, waiter not yet woken */
static uint64_t edge_claimed;                                /* pins the raw handler serves */

#define EDGE_EVENTS (GPIO_IRQ_EDGE_RISE | GPIO_IRQ_EDGE_FALL)

static void edge_irq(void);

/* The raw handler's pins grow by one: the SDK takes a handler's pins when
 * it is added, so it is added again with the new set. */
static void edge_claim(unsigned gpio) {
    uint64_t bit = 1ull << gpio;
    if (edge_claimed & bit) return;
    if (edge_claimed) gpio_remove_raw_irq_handler_masked64(edge_claimed, edge_irq);
    edge_claimed |= bit;
    gpio_add_raw_irq_handler_masked64(edge_claimed, edge_irq);
    irq_set_enabled(IO_IRQ_BANK0, true);
}

static void edge_disarm(unsigned gpio) {
    gpio_set_irq_enabled(gpio, EDGE_EVENTS, false);
    uint32_t state = port_critical_enter();
    edge_armed[PIN_WORD(gpio)] &= ~PIN_BIT(gpio);
    edge_fired[PIN_WORD(gpio)] &= ~PIN_BIT(gpio);
    port_critical_exit(state);
}

/* After the poll that followed the handler: each fired pin's task resumes
 * with the edge. */
static void edge_wake_fired(driver_deferred_t *d) {
    (void)d;
    for (unsigned word = 0; word < MACHINE_PIN_MASK_WORDS; word++) {
        for (uint32_t fired = port_atomic_swap(&edge_fired[word], 0); fired; fired &= fired - 1u) {
            unsigned gpio = word * 32u + (unsigned)__builtin_ctz(fired);
            asyncio_task_t *t = edge_waiter[gpio];
            if (!t) continue;
            edge_waiter[gpio] = NULL;
            driver_wake(t, edge_seen[gpio]);
        }
    }
}

static driver_deferred_t edge_deferred = {.fn = edge_wake_fired};

/* Cancelled or timed out before an edge: the pin stops listening. */
static void edge_interrupted(asyncio_task_t *t, int reason) {
    const machine_pin_t *pin = driver_wait_data(t);
    edge_disarm(pin->gpio);
    edge_waiter[pin->gpio] = NULL;
    driver_wake(t, reason);
}

int machine_pin_wait_edge(machine_pin_t *pin, unsigned edges) {
    if (!pin || !edges || (edges & ~(MACHINE_PIN_RISING | MACHINE_PIN_FALLING))) return -EINVAL;
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err) return err;
    unsigned gpio = pin->gpio;
    if (edge_waiter[gpio]) return -EBUSY;
    driver_deferred_add(driver_task_loop(self), &edge_deferred);
    edge_claim(gpio);
    uint32_t events = ((edges & MACHINE_PIN_RISING) ? GPIO_IRQ_EDGE_RISE : 0u) |
                      ((edges & MACHINE_PIN_FALLING) ? GPIO_IRQ_EDGE_FALL : 0u);
    uint32_t state = port_critical_enter();
    edge_fired[PIN_WORD(gpio)] &= ~PIN_BIT(gpio);
    edge_armed[PIN_WORD(gpio)] |= PIN_BIT(gpio);
    port_critical_exit(state);
    gpio_set_irq_enabled(gpio, EDGE_EVENTS, false);
    gpio_set_irq_enabled(gpio, events, true); /* clears edges latched before */
    edge_waiter[gpio] = self;
    return driver_wait(self, NULL, DRIVER_NO_DEADLINE, edge_interrupted, pin);
}

/* Both edges latched before the handler ran: the level now tells the order
 * (a pin that is low again went up first). */
static unsigned first_edge(unsigned gpio, uint32_t events) {
    bool rose = events & GPIO_IRQ_EDGE_RISE, fell = events & GPIO_IRQ_EDGE_FALL;
    if (rose && fell) return gpio_get(gpio) ? MACHINE_PIN_FALLING : MACHINE_PIN_RISING;
    return rose ? MACHINE_PIN_RISING : MACHINE_PIN_FALLING;
}

/* Only the armed pins are looked at; each reports one edge per wait. */
static void edge_irq(void) {
    bool any = false;
    for (unsigned word = 0; word < MACHINE_PIN_MASK_WORDS; word++) {
        for (uint32_t armed = edge_armed[word]; armed; armed &= armed - 1u) {
            unsigned gpio = word * 32u + (unsigned)__builtin_ctz(armed);
            uint32_t events = gpio_get_irq_event_mask(gpio) & EDGE_EVENTS;
            if (!events) continue;
            gpio_acknowledge_irq(gpio, events);
            gpio_set_irq_enabled(gpio, EDGE_EVENTS, false);
            edge_seen[gpio] = (uint8_t)first_edge(gpio, events);
            edge_armed[word] &= ~PIN_BIT(gpio);
            edge_fired[word] |= PIN_BIT(gpio);
            any = true;
        }
    }
    if (any) driver_deferred_signal(&edge_deferred);
}
