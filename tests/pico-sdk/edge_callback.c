/*
 * Edge waits on pico-sdk beside the program's own GPIO callback: the
 * emulator drives GPIO 2 (a task waits for each edge and toggles GPIO 3 as
 * soon as it sees it, so the check can measure edge -> task) and GPIO 4 (a
 * pico-sdk callback, gpio_set_irq_enabled_with_callback, counts its edges:
 * casyncio's handler must not take them), and GPIO 5 up with the input's
 * edge PAIRED_EDGE: a second task waits on it (the handler takes one pin a
 * call: both tasks run, the lower pin's first).
 */
#include <stdio.h>

#include "asyncio.h"
#include "hardware/gpio.h"
#include "machine.h"

#define INPUT_GPIO    2
#define OUTPUT_GPIO   3
#define CALLBACK_GPIO 4
#define EDGES         10
#define PAIRED_GPIO   5
#define PAIRED_EDGE   6

static machine_pin_t input, output, other, paired;
static int followed; /* the input's edges follow_edges has seen */
static volatile unsigned callback_edges, callback_wrong_pin;

static void on_gpio(uint gpio, uint32_t events) {
    if (gpio == CALLBACK_GPIO && (events & (GPIO_IRQ_EDGE_RISE | GPIO_IRQ_EDGE_FALL))) {
        callback_edges++;
    } else {
        callback_wrong_pin++;
    }
}

/* Waits for the paired pin's edge, which comes with the input's edge
 * PAIRED_EDGE: handed over after follow_edges (a higher pin), it runs after
 * it. */
static int wait_paired(void *arg) {
    (void)arg;
    if (machine_pin_wait_edge(&paired, MACHINE_PIN_RISING) != MACHINE_PIN_RISING) return 20;
    return followed == PAIRED_EDGE + 1 ? 0 : 21;
}

static int follow_edges(void *arg) {
    (void)arg;
    if (machine_pin_wait_edge(&input, 0) != -EINVAL) return 10;
    asyncio_task_t *pair = asyncio_create_task(wait_paired, NULL);
    for (int i = 0; i < EDGES; i++) {
        int edge = machine_pin_wait_edge(&input, MACHINE_PIN_RISING | MACHINE_PIN_FALLING);
        machine_pin_toggle(&output);
        followed++;
        if (edge < 0) return 11;
        printf("edge %d %s level %d\n", i, edge == MACHINE_PIN_RISING ? "rising" : "falling",
               machine_pin_value(&input));
    }
    /* a wait that times out disarms the pin; the next wait works again */
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 5);
    int timed_out = machine_pin_wait_edge(&input, MACHINE_PIN_RISING);
    asyncio_timeout_exit(&scope);
    printf("wait with no edge: %s\n", timed_out == -ETIMEDOUT ? "timed out" : "WRONG");
    int paired_result = asyncio_await(pair);
    printf("paired pin: %s\n", paired_result == 0 ? "after the input's task" : "WRONG");
    if (paired_result != 0) return paired_result;
    return timed_out == -ETIMEDOUT ? 0 : 13;
}

int main(void) {
    machine_pin_init(&input, INPUT_GPIO, MACHINE_PIN_IN);
    machine_pin_pull(&input, MACHINE_PIN_PULL_DOWN);
    machine_pin_init(&output, OUTPUT_GPIO, MACHINE_PIN_OUT);
    machine_pin_init(&other, CALLBACK_GPIO, MACHINE_PIN_IN);
    machine_pin_pull(&other, MACHINE_PIN_PULL_DOWN);
    machine_pin_init(&paired, PAIRED_GPIO, MACHINE_PIN_IN);
    machine_pin_pull(&paired, MACHINE_PIN_PULL_DOWN);
    gpio_set_irq_enabled_with_callback(CALLBACK_GPIO, GPIO_IRQ_EDGE_RISE | GPIO_IRQ_EDGE_FALL, true,
                                       on_gpio);
    if (machine_pin_wait_edge(&input, MACHINE_PIN_RISING) != -EPERM) return 12;
    printf("ready\n");
    int result = asyncio_run(follow_edges, NULL);
    printf("callback edges %u, wrong pin %u\n", callback_edges, callback_wrong_pin);
    return result;
}
