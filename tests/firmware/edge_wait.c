/*
 * Edge wait on the RP2040: the emulator drives GPIO 2; a task waiting in
 * machine_pin_wait_edge() toggles GPIO 3 as soon as it sees each edge, so the
 * check can measure the latency from the input edge to the task running.
 */
#include <stdio.h>

#include "asyncio.h"
#include "machine.h"

#define INPUT_GPIO  2
#define OUTPUT_GPIO 3
#define EDGES       10

static machine_pin_t input, output;

static int follow_edges(void *arg) {
    (void)arg;
    if (machine_pin_wait_edge(&input, 0) != -EINVAL) return 10;
    for (int i = 0; i < EDGES; i++) {
        int edge = machine_pin_wait_edge(&input, MACHINE_PIN_RISING | MACHINE_PIN_FALLING);
        machine_pin_toggle(&output);
        if (edge < 0) return 11;
        printf("edge %d %s level %d\n", i, edge == MACHINE_PIN_RISING ? "rising" : "falling",
               machine_pin_value(&input));
    }
    return 0;
}

int main(void) {
    machine_pin_init(&input, INPUT_GPIO, MACHINE_PIN_IN);
    machine_pin_pull(&input, MACHINE_PIN_PULL_DOWN);
    machine_pin_init(&output, OUTPUT_GPIO, MACHINE_PIN_OUT);
    if (machine_pin_wait_edge(&input, MACHINE_PIN_RISING) != -EPERM) return 12;
    printf("ready\n");
    return asyncio_run(follow_edges, NULL);
}
