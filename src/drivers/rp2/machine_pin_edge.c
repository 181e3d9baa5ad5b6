/*
 * machine_pin_wait_edge on the RP2040, through the IO_BANK0 edge interrupt.
 *
 * Waiting for an edge arms the pin's edge interrupt and parks the task in the
 * pin's slot. The handler records the first edge, disarms the pin, marks it
 * fired and signals a deferred record; after that poll the loop runs the
 * record, which wakes the pin's task with the edge as its result. One task
 * waits on a pin at a time.
 *
 * A file of its own so that firmware which never waits for an edge does not
 * link it: the first wait installs the handler (irq.h, which brings in the
 * vector table's IRQ entries) and adds the deferred record to the loop.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../core/driver.h"
#include "irq.h"
#include "machine.h"
#include "regs.h"

/* Sets of pins: MACHINE_PIN_MASK_WORDS words, pin n in word n / 32. */
#define PIN_WORD(gpio) ((gpio) / 32u)
#define PIN_BIT(gpio)  (1u << ((gpio) % 32u))

static asyncio_task_t *edge_waiter[MACHINE_PIN_COUNT];
static volatile uint8_t edge_seen[MACHINE_PIN_COUNT];        /* MACHINE_PIN_RISING / _FALLING */
static volatile uint32_t edge_armed[MACHINE_PIN_MASK_WORDS]; /* listening */
static volatile uint32_t edge_fired[MACHINE_PIN_MASK_WORDS]; /* seen, waiter not yet woken */
static bool edge_irq_installed;

static void edge_isr(void);

static uint32_t edge_bits(unsigned gpio, unsigned edges) {
    uint32_t bits = 0;
    if (edges & MACHINE_PIN_RISING) bits |= IO_INT_EDGE_HIGH;
    if (edges & MACHINE_PIN_FALLING) bits |= IO_INT_EDGE_LOW;
    return bits << IO_INT_SHIFT(gpio);
}

/* Edge latches keep old edges: clear them before listening. */
static void edge_arm(unsigned gpio, unsigned edges) {
    uint32_t both = edge_bits(gpio, MACHINE_PIN_RISING | MACHINE_PIN_FALLING);
    if (!edge_irq_installed) {
        rp2_irq_set_handler(IRQ_IO_BANK0, edge_isr);
        rp2_irq_enable(IRQ_IO_BANK0);
        edge_irq_installed = true;
    }
    uint32_t state = port_critical_enter();
    edge_fired[PIN_WORD(gpio)] &= ~PIN_BIT(gpio);
    REG(IO_INTR(gpio)) = both;
    REG_CLR(IO_PROC0_INTE(gpio)) = both;
    REG_SET(IO_PROC0_INTE(gpio)) = edge_bits(gpio, edges);
    edge_armed[PIN_WORD(gpio)] |= PIN_BIT(gpio);
    port_critical_exit(state);
}

static void edge_disarm(unsigned gpio) {
    uint32_t state = port_critical_enter();
    REG_CLR(IO_PROC0_INTE(gpio)) = edge_bits(gpio, MACHINE_PIN_RISING | MACHINE_PIN_FALLING);
    edge_armed[PIN_WORD(gpio)] &= ~PIN_BIT(gpio);
    edge_fired[PIN_WORD(gpio)] &= ~PIN_BIT(gpio);
    port_critical_exit(state);
}

/* The number of the lowest set bit of a non-zero word: the Cortex-M0+ has
 * no instruction for it, but a one-cycle multiplier (a de Bruijn sequence
 * puts a distinct 5-bit pattern in the top bits for each power of two). */
static unsigned lowest_bit(uint32_t bits) {
    static const uint8_t position[32] = {0,  1,  28, 2,  29, 14, 24, 3,  30, 22, 20,
                                         15, 25, 17, 4,  8,  31, 27, 13, 23, 21, 19,
                                         16, 7,  26, 12, 18, 6,  11, 5,  10, 9};
    return position[((bits & (0u - bits)) * 0x077CB531u) >> 27];
}

/* Loop context, after a poll that followed the handler: each fired pin's
 * task resumes with the edge. */
static void edge_wake_fired(driver_deferred_t *d) {
    (void)d;
    for (unsigned word = 0; word < MACHINE_PIN_MASK_WORDS; word++) {
        for (uint32_t fired = port_atomic_swap(&edge_fired[word], 0); fired; fired &= fired - 1u) {
            unsigned gpio = word * 32u + lowest_bit(fired);
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
    edge_arm(gpio, edges);
    edge_waiter[gpio] = self;
    return driver_wait(self, NULL, DRIVER_NO_DEADLINE, edge_interrupted, pin);
}

/* Both edges latched before the handler ran: the level now tells the order
 * (a pin that is low again went up first). */
static unsigned first_edge(unsigned gpio, uint32_t latched) {
    bool rose = latched & IO_INT_EDGE_HIGH, fell = latched & IO_INT_EDGE_LOW;
    if (rose && fell)
        return (REG(SIO_GPIO_IN) >> gpio) & 1u ? MACHINE_PIN_FALLING : MACHINE_PIN_RISING;
    return rose ? MACHINE_PIN_RISING : MACHINE_PIN_FALLING;
}

/* IO_IRQ_BANK0. Only the armed pins are looked at. Each pin reports one
 * edge per wait: the handler disarms it. Returning from the exception ends
 * the loop's WFE; the signal makes it look. */
static void edge_isr(void) {
    for (unsigned word = 0; word < MACHINE_PIN_MASK_WORDS; word++) {
        for (uint32_t armed = edge_armed[word]; armed; armed &= armed - 1u) {
            unsigned gpio = word * 32u + lowest_bit(armed);
            uint32_t latched = (REG(IO_PROC0_INTS(gpio / 8u)) >> IO_INT_SHIFT(gpio)) & 0xfu;
            if (!latched) continue;
            REG(IO_INTR(gpio)) = latched << IO_INT_SHIFT(gpio);
            REG_CLR(IO_PROC0_INTE(gpio)) = 0xfu << IO_INT_SHIFT(gpio);
            edge_seen[gpio] = (uint8_t)first_edge(gpio, latched);
            edge_armed[word] &= ~PIN_BIT(gpio);
            edge_fired[word] |= PIN_BIT(gpio);
        }
    }
    driver_deferred_signal(&edge_deferred);
}
