/*
 * The drivers' IRQ interface (src/drivers/rp2/irq.h) on pico-sdk: a handler
 * installed on a spare line (one of the SDK's user IRQs, raised here with
 * irq_set_pending as a peripheral would raise it) signals a deferred record,
 * whose function wakes the waiting task in loop context; lines the SDK or
 * the program already serve with shared handlers are refused.
 */
#include <errno.h>
#include <stdio.h>

#include "../../src/core/driver.h"
#include "../../src/drivers/rp2/irq.h"
#include "hardware/gpio.h"
#include "hardware/irq.h"

#define RAISES 5

static unsigned line;
static asyncio_task_t *waiter;
static volatile unsigned handled;

static void woken(driver_deferred_t *d) {
    (void)d;
    if (waiter) driver_wake(waiter, (int)handled);
    waiter = NULL;
}

static driver_deferred_t deferred = {.fn = woken};

static void handler(void) {
    handled++;
    driver_deferred_signal(&deferred);
}

/* Suspends until the handler has run; returns how often it has. */
static int wait_for_irq(void) {
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err) return err;
    waiter = self;
    driver_deferred_add(driver_task_loop(self), &deferred);
    irq_set_pending(line);
    return driver_wait(self, NULL, DRIVER_NO_DEADLINE, NULL, NULL);
}

static int raise_and_wait(void *arg) {
    (void)arg;
    for (int i = 1; i <= RAISES; i++) {
        int r = wait_for_irq();
        if (r != i) {
            printf("wait %d returned %d\n", i, r);
            return 1;
        }
    }
    printf("%d interrupts, each woke the task\n", RAISES);
    rp2_irq_disable(line);
    irq_set_pending(line);
    asyncio_sleep_ms(1);
    printf("disabled line: handled %u times\n", handled);
    return handled == RAISES ? 0 : 2;
}

static void on_gpio(uint gpio, uint32_t events) {
    (void)gpio;
    (void)events;
}

int main(void) {
    line = (unsigned)user_irq_claim_unused(true);
    gpio_set_irq_enabled_with_callback(4, GPIO_IRQ_EDGE_RISE, true, on_gpio);
    int bad = rp2_irq_set_handler(NUM_IRQS, handler);
    int busy = rp2_irq_set_handler(IO_IRQ_BANK0, handler);
    printf("bad line: %s, the SDK's GPIO line: %s\n", bad == -EINVAL ? "EINVAL" : "WRONG",
           busy == -EBUSY ? "EBUSY" : "WRONG");
    if (bad != -EINVAL || busy != -EBUSY) return 3;
    if (rp2_irq_set_handler(line, handler) != 0) return 4;
    rp2_irq_enable(line);
    return asyncio_run(raise_and_wait, NULL);
}
