/*
 * Edge wait on the RP2040: the emulator drives GPIO 2; a task waiting in
 * machine_pin_wait_edge() toggles GPIO 3 as soon as it sees each edge, so the
 * check can measure the latency from the input edge to the task running.
 * Halfway through, another pin's edges start being counted, which puts the
 * counting handler in place of the waits' one: the waits go on alike. Then,
 * with no more edges coming, waits that a timeout scope or a cancellation
 * ends.
 */
#include <stdio.h>

#include "asyncio.h"
#include "machine.h"

#define INPUT_GPIO  2
#define OUTPUT_GPIO 3
#define COUNTED_GPIO 4 /* pulled down, never driven */
#define EDGES       10

static machine_pin_t input, output, counted;

static int wait_rising(void *arg) {
    (void)arg;
    return machine_pin_wait_edge(&input, MACHINE_PIN_RISING);
}

/* Once the edges are over: a wait that its timeout scope ends, and one that
 * is cancelled, both leave the pin free for the next wait. */
static int interrupted_waits(void) {
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 2);
    int timed_out = machine_pin_wait_edge(&input, MACHINE_PIN_RISING);
    asyncio_timeout_exit(&scope);
    if (timed_out != -ETIMEDOUT) return 13;
    asyncio_task_t *waiter = asyncio_create_task(wait_rising, NULL);
    asyncio_yield(); /* it waits for the edge */
    asyncio_task_cancel(waiter);
    if (asyncio_await(waiter) != -ECANCELED) return 14;
    asyncio_timeout_enter_ms(&scope, 1);
    timed_out = machine_pin_wait_edge(&input, MACHINE_PIN_FALLING);
    asyncio_timeout_exit(&scope);
    return timed_out == -ETIMEDOUT ? 0 : 15;
}

static int follow_edges(void *arg) {
    (void)arg;
    if (machine_pin_wait_edge(&input, 0) != -EINVAL) return 10;
    for (int i = 0; i < EDGES; i++) {
        if (i == EDGES / 2 && machine_pin_edges_enable(&counted) != 0) return 16;
        int edge = machine_pin_wait_edge(&input, MACHINE_PIN_RISING | MACHINE_PIN_FALLING);
        machine_pin_toggle(&output);
        if (edge < 0) return 11;
        printf("edge %d %s level %d\n", i, edge == MACHINE_PIN_RISING ? "rising" : "falling",
               machine_pin_value(&input));
    }
    machine_pin_edges_t none;
    machine_pin_edges_now(&counted, &none);
    if (none.rising || none.falling) return 17; /* the waited pin's edges are not its */
    return interrupted_waits();
}

int main(void) {
    machine_pin_init(&input, INPUT_GPIO, MACHINE_PIN_IN);
    machine_pin_pull(&input, MACHINE_PIN_PULL_DOWN);
    machine_pin_init(&output, OUTPUT_GPIO, MACHINE_PIN_OUT);
    machine_pin_init(&counted, COUNTED_GPIO, MACHINE_PIN_IN);
    machine_pin_pull(&counted, MACHINE_PIN_PULL_DOWN);
    if (machine_pin_wait_edge(&input, MACHINE_PIN_RISING) != -EPERM) return 12;
    printf("ready\n");
    return asyncio_run(follow_edges, NULL);
}
