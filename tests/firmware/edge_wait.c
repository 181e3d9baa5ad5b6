/*
 * Edge wait on the RP2040: the emulator drives GPIO 2; a task waiting in
 * machine_pin_wait_edge() toggles GPIO 3 as soon as it sees each edge, so the
 * check can measure the latency from the input edge to the task running.
 * Halfway through, another pin's edges start being counted, which puts the
 * counting handler in place of the waits' one: the waits go on alike. One
 * edge comes while another task runs (the loop is not asleep: the handler
 * hands the task over through the loop's list), the last ones end waits in
 * a timeout scope (the handler takes the scope's timer out of the heap
 * when it makes the task ready), and one comes together with an edge of
 * another pin that a second task waits on (the handler takes one pin a
 * call: both tasks run, the lower pin's first). Then, with no more edges
 * coming, waits that a timeout scope or a cancellation ends.
 */
#include <stdio.h>

#include "asyncio.h"
#include "machine.h"

#define INPUT_GPIO  2
#define OUTPUT_GPIO 3
#define COUNTED_GPIO 4 /* pulled down, never driven */
#define PAIRED_GPIO 5  /* pulled down, driven up with the input's edge PAIRED_EDGE */
#define PAIRED_EDGE 6
#define EDGES       10

static machine_pin_t input, output, counted, paired;
static int followed; /* the input's edges follow_edges has seen */

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

/* Runs, without yielding, until the input changes: the edge comes while
 * the loop is busy with this task. */
static int spin_through_edge(void *arg) {
    (void)arg;
    int level = machine_pin_value(&input);
    while (machine_pin_value(&input) == level) {
    }
    return 0;
}

/* Waits for the paired pin's edge, which comes with the input's edge
 * PAIRED_EDGE: handed over after follow_edges (a higher pin), it runs after
 * it in the same pass. */
static int wait_paired(void *arg) {
    (void)arg;
    if (machine_pin_wait_edge(&paired, MACHINE_PIN_RISING) != MACHINE_PIN_RISING) return 20;
    return followed == PAIRED_EDGE + 1 ? 0 : 21;
}

#define BUSY_EDGE   3         /* the edge that comes while spin_through_edge runs */
#define SCOPED_FROM (EDGES - 3) /* the edges from this one on end waits in a scope */

/* An edge wait, the later ones in a timeout scope far longer than the edges'
 * spacing: the edge ends them. */
static int wait_either_edge(int i) {
    if (i < SCOPED_FROM) return machine_pin_wait_edge(&input, MACHINE_PIN_RISING | MACHINE_PIN_FALLING);
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 100);
    int edge = machine_pin_wait_edge(&input, MACHINE_PIN_RISING | MACHINE_PIN_FALLING);
    asyncio_timeout_exit(&scope);
    return edge;
}

static int follow_edges(void *arg) {
    (void)arg;
    if (machine_pin_wait_edge(&input, 0) != -EINVAL) return 10;
    asyncio_task_t *spinner = NULL;
    asyncio_task_t *pair = asyncio_create_task(wait_paired, NULL);
    for (int i = 0; i < EDGES; i++) {
        if (i == EDGES / 2 && machine_pin_edges_enable(&counted) != 0) return 16;
        if (i == BUSY_EDGE) spinner = asyncio_create_task(spin_through_edge, NULL);
        int edge = wait_either_edge(i);
        machine_pin_toggle(&output);
        followed++;
        if (edge < 0) return 11;
        printf("edge %d %s level %d\n", i, edge == MACHINE_PIN_RISING ? "rising" : "falling",
               machine_pin_value(&input));
    }
    if (!spinner || asyncio_await(spinner) != 0) return 18;
    int paired_result = asyncio_await(pair);
    if (paired_result != 0) return paired_result;
    /* past the scopes' deadlines: had a timer of theirs stayed in the heap,
     * it would fire now, for a wait long gone */
    uint64_t before = asyncio_ticks_us();
    if (asyncio_sleep_ms(150) != 0 || asyncio_ticks_us() - before < 150000u) return 19;
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
    machine_pin_init(&paired, PAIRED_GPIO, MACHINE_PIN_IN);
    machine_pin_pull(&paired, MACHINE_PIN_PULL_DOWN);
    if (machine_pin_wait_edge(&input, MACHINE_PIN_RISING) != -EPERM) return 12;
    printf("ready\n");
    return asyncio_run(follow_edges, NULL);
}
