/*
 * Edge waits on pico-sdk (under machine_pin_wait_edge, which both RP2 ports
 * share: src/drivers/rp2/machine_pin_edge_wait.c), through the SDK's GPIO
 * interrupt dispatch: the pins tasks wait on get a raw handler of
 * casyncio's (gpio_add_raw_irq_handler_masked), so the program's own GPIO
 * callback (gpio_set_irq_callback, gpio_set_irq_enabled_with_callback)
 * keeps receiving the events of every other pin. A pin that a task has
 * waited on stays casyncio's.
 *
 * Waiting parks the task's hand-over record (driver.h's driver_isr_wake)
 * in the pin's slot and arms the pin's edge events on this core. The
 * handler takes the first edge, disarms the pin and hands the task over
 * with the edge as its result; the loop wakes it right after its next poll.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../drivers/rp2/machine_pin_edge_wait.h"
#include "hardware/gpio.h"
#include "hardware/irq.h"
#include "hardware/structs/io_bank0.h"
#include "hardware/sync.h"
#include "machine.h"

_Static_assert(EDGE_LATCH_RISE == GPIO_IRQ_EDGE_RISE && EDGE_LATCH_FALL == GPIO_IRQ_EDGE_FALL,
               "the shared edge logic reads IO_BANK0's latch bits");

/* Sets of pins: MACHINE_PIN_MASK_WORDS words, pin n in word n / 32 (the
 * RP2350B's GPIO 32..47 in the second). */
#define PIN_WORD(gpio) ((gpio) / 32u)
#define PIN_BIT(gpio)  (1u << ((gpio) % 32u))

#define EDGE_EVENTS (GPIO_IRQ_EDGE_RISE | GPIO_IRQ_EDGE_FALL)

static struct {
    volatile uint32_t armed[MACHINE_PIN_MASK_WORDS]; /* listening */
    /* the hand-over of the task waiting on the pin, while the pin is armed */
    driver_isr_wake_t *volatile waiter[MACHINE_PIN_COUNT];
    uint64_t claimed; /* pins the raw handler serves */
} edge;

static void edge_irq(void);

/* The raw handler's pins grow by one: the SDK takes a handler's pins when
 * it is added, so it is added again with the new set. */
static void edge_claim(unsigned gpio) {
    uint64_t bit = 1ull << gpio;
    if (edge.claimed & bit) return;
    if (edge.claimed) gpio_remove_raw_irq_handler_masked64(edge.claimed, edge_irq);
    edge.claimed |= bit;
    gpio_add_raw_irq_handler_masked64(edge.claimed, edge_irq);
    irq_set_enabled(IO_IRQ_BANK0, true);
}

/* This core's edge interrupt controls: the core that waits takes the edge. */
static io_bank0_irq_ctrl_hw_t *edge_ctrl(void) {
    return get_core_num() ? &io_bank0_hw->proc1_irq_ctrl : &io_bank0_hw->proc0_irq_ctrl;
}

/* A pin's 4 bits in an interrupt register (8 pins a word). */
#define PIN_INT_SHIFT(gpio) (4u * ((gpio) % 8u))

int edge_arm(unsigned gpio, unsigned edges, driver_isr_wake_t *w) {
    if (edge.waiter[gpio]) return -EBUSY;
    edge_claim(gpio);
    uint32_t events = ((edges & MACHINE_PIN_RISING) ? GPIO_IRQ_EDGE_RISE : 0u) |
                      ((edges & MACHINE_PIN_FALLING) ? GPIO_IRQ_EDGE_FALL : 0u);
    io_bank0_irq_ctrl_hw_t *ctrl = edge_ctrl();
    uint32_t state = port_critical_enter();
    edge.waiter[gpio] = w;
    io_bank0_hw->intr[gpio / 8u] = EDGE_EVENTS << PIN_INT_SHIFT(gpio); /* edges latched before */
    hw_clear_bits(&ctrl->inte[gpio / 8u], EDGE_EVENTS << PIN_INT_SHIFT(gpio));
    hw_set_bits(&ctrl->inte[gpio / 8u], events << PIN_INT_SHIFT(gpio));
    edge.armed[PIN_WORD(gpio)] |= PIN_BIT(gpio);
    port_critical_exit(state);
    return 0;
}

void edge_disarm(unsigned gpio, const driver_isr_wake_t *w) {
    uint32_t state = port_critical_enter();
    if (edge.waiter[gpio] == w) {
        hw_clear_bits(&edge_ctrl()->inte[gpio / 8u], EDGE_EVENTS << PIN_INT_SHIFT(gpio));
        edge.armed[PIN_WORD(gpio)] &= ~PIN_BIT(gpio);
        edge.waiter[gpio] = NULL;
    }
    port_critical_exit(state);
}

static bool pin_is_high(unsigned gpio) { return gpio_get(gpio); }

/* The raw handler of the claimed pins. Only the armed ones are looked at;
 * each reports one edge per wait: the handler disarms it and hands the
 * waiting task over. Its latch stays set (the pin no longer interrupts: its
 * enable is off) until edge_arm() clears it for the next wait. One pin a
 * call: with more latched, the bank's line stays up and the handler runs
 * again at once for the next one (in the same order), so that nothing of
 * the search stays live across the hand-over. */
static void edge_irq(void) {
    io_bank0_irq_ctrl_hw_t *ctrl = edge_ctrl();
    for (unsigned word = 0; word < MACHINE_PIN_MASK_WORDS; word++) {
        for (uint32_t armed = edge.armed[word]; armed; armed &= armed - 1u) {
            unsigned gpio = word * 32u + (unsigned)__builtin_ctz(armed);
            uint32_t latched = (ctrl->ints[gpio / 8u] >> PIN_INT_SHIFT(gpio)) & EDGE_EVENTS;
            if (!latched) continue;
            hw_clear_bits(&ctrl->inte[gpio / 8u], EDGE_EVENTS << PIN_INT_SHIFT(gpio));
            edge.armed[word] &= ~PIN_BIT(gpio);
            driver_isr_wake_t *w = edge.waiter[gpio]; /* an armed pin has one */
            edge.waiter[gpio] = NULL;
            driver_isr_wake(w, (int)edge_first(latched, gpio, pin_is_high));
            return;
        }
    }
}
