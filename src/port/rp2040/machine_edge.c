/*
 * machine_pin_wait_edge on the RP2040, through the IO_BANK0 edge interrupt.
 *
 * Waiting for an edge arms the pin's edge interrupt; the handler records the
 * first edge, disarms the pin and sets the pin's ThreadSafeFlag, which wakes
 * the loop; the waiting task then returns the edge it recorded.
 *
 * A file of its own so that firmware which never waits for an edge does not
 * link the flags (about 24 bytes a pin): the vector table points at a weak
 * default handler that the one here overrides.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "../port.h"
#include "asyncio.h"
#include "machine.h"
#include "regs.h"
#include "rp2040.h"

static asyncio_flag_t edge_flag[MACHINE_PIN_COUNT];
static volatile uint8_t edge_seen[MACHINE_PIN_COUNT]; /* MACHINE_PIN_RISING / _FALLING */
static volatile uint32_t edge_armed;                  /* one bit per pin */

static uint32_t edge_bits(unsigned gpio, unsigned edges) {
    uint32_t bits = 0;
    if (edges & MACHINE_PIN_RISING) {
        bits |= IO_INT_EDGE_HIGH;
    }
    if (edges & MACHINE_PIN_FALLING) {
        bits |= IO_INT_EDGE_LOW;
    }
    return bits << IO_INT_SHIFT(gpio);
}

/* Edge latches keep old edges: clear them before listening. */
static void edge_arm(unsigned gpio, unsigned edges) {
    uint32_t bits = edge_bits(gpio, edges);
    uint32_t state = port_critical_enter();
    edge_seen[gpio] = 0;
    asyncio_flag_clear(&edge_flag[gpio]);
    REG(IO_INTR(gpio)) = edge_bits(gpio, MACHINE_PIN_RISING | MACHINE_PIN_FALLING);
    REG_CLR(IO_PROC0_INTE(gpio)) = edge_bits(gpio, MACHINE_PIN_RISING | MACHINE_PIN_FALLING);
    REG_SET(IO_PROC0_INTE(gpio)) = bits;
    edge_armed |= 1u << gpio;
    REG(NVIC_ISER) = 1u << IRQ_IO_BANK0; /* idempotent: enabling twice is harmless */
    port_critical_exit(state);
}

static void edge_disarm(unsigned gpio) {
    uint32_t state = port_critical_enter();
    REG_CLR(IO_PROC0_INTE(gpio)) = edge_bits(gpio, MACHINE_PIN_RISING | MACHINE_PIN_FALLING);
    edge_armed &= ~(1u << gpio);
    port_critical_exit(state);
}

int machine_pin_wait_edge(machine_pin_t *pin, unsigned edges) {
    if (!pin || !edges || (edges & ~(MACHINE_PIN_RISING | MACHINE_PIN_FALLING))) {
        return -EINVAL;
    }
    if (!asyncio_current_task()) {
        return -EPERM;
    }
    unsigned gpio = pin->gpio;
    edge_arm(gpio, edges);
    for (;;) {
        int r = asyncio_flag_wait(&edge_flag[gpio]);
        unsigned seen = edge_seen[gpio];
        if (seen) {
            return (int)seen; /* the handler has disarmed the pin */
        }
        if (r < 0) {
            edge_disarm(gpio);
            return r;
        }
    }
}

/* Both edges latched before the handler ran: the level now tells the order
 * (a pin that is low again went up first). */
static unsigned first_edge(unsigned gpio, uint32_t latched) {
    bool rose = latched & IO_INT_EDGE_HIGH, fell = latched & IO_INT_EDGE_LOW;
    if (rose && fell) {
        return (REG(SIO_GPIO_IN) >> gpio) & 1u ? MACHINE_PIN_FALLING : MACHINE_PIN_RISING;
    }
    return rose ? MACHINE_PIN_RISING : MACHINE_PIN_FALLING;
}

/* Only the banks (8 pins each) with an armed pin are read. Each pin reports
 * one edge per wait: the handler disarms it. */
void rp2040_isr_io_bank0(void) {
    uint32_t armed = edge_armed;
    for (unsigned bank = 0; armed; bank++, armed >>= 8) {
        uint32_t status = (armed & 0xffu) ? REG(IO_PROC0_INTS(bank)) : 0;
        if (!status) {
            continue;
        }
        REG(IO_INTR(bank * 8u)) = status;
        REG_CLR(IO_PROC0_INTE(bank * 8u)) = status;
        for (unsigned gpio = bank * 8u; status; gpio++, status >>= 4) {
            if (status & 0xfu) {
                edge_seen[gpio] = (uint8_t)first_edge(gpio, status & 0xfu);
                edge_armed &= ~(1u << gpio);
                asyncio_flag_set(&edge_flag[gpio]);
            }
        }
    }
}
