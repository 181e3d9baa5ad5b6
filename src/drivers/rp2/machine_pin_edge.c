/*
 * Edge waits on the RP2040, through the IO_BANK0 edge interrupt: the arming
 * and the handler under machine_pin_wait_edge (machine_pin_edge_wait.c).
 *
 * Waiting for an edge parks the task's hand-over record (driver.h's
 * driver_isr_wake) in the pin's slot and arms the pin's edge interrupt. The
 * handler takes the first edge, disarms the pin and hands the task over
 * with the edge as its result; the loop wakes it right after its next poll.
 *
 * A file of its own so that firmware which never waits for an edge does not
 * link it: the first wait installs the handler (irq.h, which brings in the
 * vector table's IRQ entries).
 *
 * The same handler serves pins whose edges are counted (machine_pin_edges.c,
 * through edge_count_hook): those stay armed for both edges, and each edge
 * the handler sees goes to the hook.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../core/driver.h"
#include "irq.h"
#include "machine.h"
#include "machine_pin_edge.h"
#include "machine_pin_edge_wait.h"
#include "regs.h"

/* Sets of pins: MACHINE_PIN_MASK_WORDS words, pin n in word n / 32. */
#define PIN_WORD(gpio) ((gpio) / 32u)
#define PIN_BIT(gpio)  (1u << ((gpio) % 32u))

/* One record, so that the handler and the wake reach every field from one
 * base address (on a Cortex-M0+, each separate array costs a literal load). */
static struct {
    /* listening, for the task whose hand-over is in the pin's waiter slot */
    volatile uint32_t armed[MACHINE_PIN_MASK_WORDS];
    /* the hand-over of the task waiting on the pin, while the pin is armed;
     * the last one after (the handler leaves it: `armed` tells) */
    driver_isr_wake_t *volatile waiter[MACHINE_PIN_COUNT];
    rp2_irq_handler_t installed; /* edge_isr, or edge_isr_counting once a pin is counted */
} edge;

volatile uint32_t edge_counting[MACHINE_PIN_MASK_WORDS];
void (*edge_count_hook)(unsigned gpio, uint32_t latched);

static void edge_isr(void);
static void edge_isr_counting(void);

/* Installs the bank's handler: the waits' looks at armed pins only; once a
 * pin is counted, the counting one (the counted pins, then the armed ones)
 * replaces it for good, so that a firmware that counts no edges pays
 * nothing for counting (and links none of it). */
static void edge_install(rp2_irq_handler_t handler) {
    rp2_irq_set_handler(IRQ_IO_BANK0, handler);
    if (!edge.installed) rp2_irq_enable(IRQ_IO_BANK0);
    edge.installed = handler;
}

static uint32_t edge_bits(unsigned gpio, unsigned edges) {
    uint32_t bits = 0;
    if (edges & MACHINE_PIN_RISING) bits |= IO_INT_EDGE_HIGH;
    if (edges & MACHINE_PIN_FALLING) bits |= IO_INT_EDGE_LOW;
    return bits << IO_INT_SHIFT(gpio);
}

/* Edge latches keep old edges: clear them before listening. The handler
 * finds `w` in the pin's slot once the pin is armed. */
int edge_arm(unsigned gpio, unsigned edges, driver_isr_wake_t *w) {
    if ((edge.armed[PIN_WORD(gpio)] | edge_counting[PIN_WORD(gpio)]) & PIN_BIT(gpio)) return -EBUSY;
    uint32_t both = edge_bits(gpio, MACHINE_PIN_RISING | MACHINE_PIN_FALLING);
    if (!edge.installed) edge_install(edge_isr); /* either handler serves waits */
    uint32_t state = port_critical_enter();
    edge.waiter[gpio] = w;
    REG(IO_INTR(gpio)) = both;
    REG_CLR(IO_PROC0_INTE(gpio)) = both;
    REG_SET(IO_PROC0_INTE(gpio)) = edge_bits(gpio, edges);
    edge.armed[PIN_WORD(gpio)] |= PIN_BIT(gpio);
    port_critical_exit(state);
    return 0;
}

/* The pin stops listening for `w`, if it still does (once the handler has
 * taken an edge for it, the pin may be armed for another wait). */
void edge_disarm(unsigned gpio, const driver_isr_wake_t *w) {
    uint32_t state = port_critical_enter();
    if ((edge.armed[PIN_WORD(gpio)] & PIN_BIT(gpio)) && edge.waiter[gpio] == w) {
        REG_CLR(IO_PROC0_INTE(gpio)) = edge_bits(gpio, MACHINE_PIN_RISING | MACHINE_PIN_FALLING);
        edge.armed[PIN_WORD(gpio)] &= ~PIN_BIT(gpio);
    }
    port_critical_exit(state);
}

/* The number of the lowest set bit of a non-zero word: the Cortex-M0+ has
 * no instruction for it, but a one-cycle multiplier (a de Bruijn sequence
 * puts a distinct 5-bit pattern in the top bits for each power of two). */
static unsigned bit_number(uint32_t power_of_two) {
    static const uint8_t position[32] = {0,  1,  28, 2,  29, 14, 24, 3,  30, 22, 20,
                                         15, 25, 17, 4,  8,  31, 27, 13, 23, 21, 19,
                                         16, 7,  26, 12, 18, 6,  11, 5,  10, 9};
    return position[(power_of_two * 0x077CB531u) >> 27];
}

static unsigned lowest_bit(uint32_t bits) { return bit_number(bits & (0u - bits)); }

_Static_assert(EDGE_LATCH_RISE == IO_INT_EDGE_HIGH && EDGE_LATCH_FALL == IO_INT_EDGE_LOW,
               "the shared edge logic reads IO_BANK0's latch bits");

static bool pin_is_high(unsigned gpio) { return (REG(SIO_GPIO_IN) >> gpio) & 1u; }

void edge_count_start(unsigned gpio) {
    uint32_t both = edge_bits(gpio, MACHINE_PIN_RISING | MACHINE_PIN_FALLING);
    if (edge.installed != edge_isr_counting) edge_install(edge_isr_counting);
    uint32_t state = port_critical_enter();
    REG(IO_INTR(gpio)) = both;
    REG_SET(IO_PROC0_INTE(gpio)) = both;
    edge_counting[PIN_WORD(gpio)] |= PIN_BIT(gpio);
    port_critical_exit(state);
}

/* The edges latched for the counted pins go to the counting file, and are
 * cleared: a counted pin stays armed. */
static void count_latched(unsigned word, uint32_t counted) {
    for (; counted; counted &= counted - 1u) {
        unsigned gpio = word * 32u + lowest_bit(counted);
        uint32_t latched = (REG(IO_PROC0_INTS(gpio / 8u)) >> IO_INT_SHIFT(gpio)) & 0xfu;
        if (!latched) continue;
        REG(IO_INTR(gpio)) = latched << IO_INT_SHIFT(gpio);
        edge_count_hook(gpio, latched);
    }
}

/* An armed pin with an edge latched: disarmed, its task handed over with the
 * first edge; true. Its latch stays set (the pin no longer interrupts: its
 * enable is off) until edge_arm() clears it for the next wait. `bit` is the
 * pin's in edge.armed[word]. Interrupts are masked (the handler's critical
 * section, which covers the hand-over). */
static inline __attribute__((always_inline)) bool take_edge(unsigned word, uint32_t bit) {
    unsigned gpio = word * 32u + bit_number(bit);
    /* the pin's status word and nibble, found once for the status read and
     * the disable (its enable word's clear alias, at a fixed distance) */
    volatile uint32_t *ints = &REG(IO_PROC0_INTS(gpio / 8u));
    uint32_t shift = IO_INT_SHIFT(gpio);
    uint32_t latched = (*ints >> shift) & 0xfu;
    if (!latched) return false;
    ints[(IO_PROC0_INTE(0) + 0x3000u - IO_PROC0_INTS(0)) / 4u] = 0xfu << shift;
    edge.armed[word] &= ~bit;
    driver_isr_wake_t *w = edge.waiter[gpio]; /* an armed pin has one (left there) */
    driver_isr_wake_masked(w, (int)edge_first(latched, gpio, pin_is_high));
    return true;
}

/* The lowest armed pin with an edge latched is disarmed and its task handed
 * over: one edge per wait, one pin a call. With more pins latched, the
 * bank's interrupt line stays up and the handler runs again at once for the
 * next one (in the same order), so that nothing of the search stays live
 * across the hand-over, which then needs no register of the handler's. */
static inline __attribute__((always_inline)) void take_armed(void) {
    for (unsigned word = 0; word < MACHINE_PIN_MASK_WORDS; word++)
        for (uint32_t armed = edge.armed[word]; armed; armed &= armed - 1u)
            if (take_edge(word, armed & (0u - armed))) return;
}

/* take_armed() in the handler's critical section. */
static inline __attribute__((always_inline)) void take_armed_masked(void) {
    rp2_irq_handler_mask();
    take_armed();
    rp2_irq_handler_unmask();
}

/* IO_IRQ_BANK0 while no pin is counted: the armed pins only. */
static void edge_isr(void) { take_armed_masked(); }

/* IO_IRQ_BANK0 once a pin is counted: the counted pins, then the armed ones
 * (a pin both counted and waited on is counted: its latch is cleared
 * first). */
static void edge_isr_counting(void) {
    for (unsigned word = 0; word < MACHINE_PIN_MASK_WORDS; word++) {
        uint32_t counted = edge_counting[word];
        if (counted) count_latched(word, counted);
    }
    take_armed_masked();
}
