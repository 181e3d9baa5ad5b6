/* Host pins: outputs recorded with the loop's time, a VCD trace, inputs
 * driven from the test and edges awaited by a task. */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asyncio.h"
#include "check.h"
#include "machine.h"

static char vcd_path[64];

static int blink_three_times(void *arg) {
    machine_pin_t *led = arg;
    for (int i = 0; i < 3; i++) {
        machine_pin_toggle(led);
        asyncio_sleep_ms(250);
    }
    return machine_pin_value(led);
}

static void test_output_changes_are_recorded(void) {
    machine_pin_t led;
    CHECK_EQ(machine_pin_init(&led, 30, MACHINE_PIN_OUT), -EINVAL);
    CHECK_EQ(machine_pin_init(&led, 0, (machine_pin_mode_t)7), -EINVAL);
    CHECK_EQ(machine_pin_init(&led, 25, MACHINE_PIN_OUT), 0);
    CHECK_EQ(machine_pin_value(&led), 0);
    CHECK_EQ(run_virtual(blink_three_times, &led), 1);
    CHECK_EQ(machine_pin_sim_changes(25), 3);
    CHECK_EQ(machine_pin_sim_change_time(25, 0), 0);
    CHECK_EQ(machine_pin_sim_change_time(25, 1), 250000);
    CHECK_EQ(machine_pin_sim_change_time(25, 2), 500000);
    machine_pin_on(&led);
    machine_pin_off(&led);
    machine_pin_value_set(&led, 5);
    CHECK_EQ(machine_pin_value(&led), 1);
    CHECK_EQ(machine_pin_sim_drive(25, 0), -EPERM); /* an output is not driven from outside */
}

static void test_vcd_trace(void) {
    FILE *f = fopen(vcd_path, "r");
    CHECK(f != NULL);
    if (!f) return;
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    CHECK(strstr(text, "$timescale 1us $end") != NULL);
    CHECK(strstr(text, "$var wire 1 : gpio25 $end") != NULL);
    CHECK(strstr(text, "#250000\n0:") != NULL);
    /* Every pin's initial level at time 0, before the first change (gpio25
     * rising at 0), so that a viewer shows no pin as unknown. */
    const char *dump = strstr(text, "$enddefinitions $end\n#0\n$dumpvars\n");
    CHECK(dump != NULL);
    if (!dump) return;
    dump = strchr(strstr(dump, "$dumpvars"), '\n') + 1;
    const char *dump_end = strstr(dump, "$end\n");
    CHECK(dump_end != NULL);
    if (!dump_end) return;
    for (unsigned g = 0; g < MACHINE_PIN_COUNT; g++) {
        char initial[4] = {'0', (char)('!' + g), '\n', 0};
        const char *at = strstr(dump, initial);
        CHECK(at != NULL && at < dump_end);
    }
    CHECK(strncmp(dump_end, "$end\n1:\n", 8) == 0); /* then the first change, still at #0 */
    CHECK(strstr(text, "#500000\n1:") != NULL);
}

static void test_inputs_and_pulls(void) {
    machine_pin_t button;
    CHECK_EQ(machine_pin_init(&button, 14, MACHINE_PIN_IN), 0);
    CHECK_EQ(machine_pin_value(&button), 0);
    machine_pin_pull(&button, MACHINE_PIN_PULL_UP);
    CHECK_EQ(machine_pin_value(&button), 1);
    CHECK_EQ(machine_pin_sim_drive(14, 0), 0); /* pressed: pulls the line low */
    CHECK_EQ(machine_pin_value(&button), 0);
    CHECK_EQ(machine_pin_sim_drive(99, 0), -EINVAL);
}

static machine_pin_t button, lamp;

static int follow_button(void *arg) {
    int *edges = arg;
    for (int i = 0; i < 2; i++) {
        int edge = machine_pin_wait_edge(&button, MACHINE_PIN_FALLING);
        if (edge < 0) return edge;
        edges[i] = edge;
        machine_pin_toggle(&lamp);
    }
    return machine_pin_wait_edge(&button, 0); /* no edges asked: -EINVAL */
}

static void press(void *arg) { machine_pin_sim_drive(15, (int)(intptr_t)arg); }

static void test_wait_edge(void) {
    machine_pin_init(&button, 15, MACHINE_PIN_IN);
    machine_pin_pull(&button, MACHINE_PIN_PULL_UP);
    machine_pin_init(&lamp, 16, MACHINE_PIN_OUT);
    asyncio_loop_t *loop = virtual_loop();
    int edges[2] = {0, 0};
    asyncio_loop_call_later_ms(loop, 100, press, (void *)0); /* falling */
    asyncio_loop_call_later_ms(loop, 200, press, (void *)1); /* rising: ignored */
    asyncio_loop_call_later_ms(loop, 300, press, (void *)0); /* falling */
    asyncio_task_t *t = asyncio_loop_create_task(loop, follow_button, edges);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, t), -EINVAL);
    CHECK_EQ(edges[0], MACHINE_PIN_FALLING);
    CHECK_EQ(edges[1], MACHINE_PIN_FALLING);
    CHECK_EQ(machine_pin_sim_changes(16), 2);
    CHECK_EQ(machine_pin_sim_change_time(16, 0), 100000);
    CHECK_EQ(machine_pin_sim_change_time(16, 1), 300000);
    asyncio_loop_close(loop);
    CHECK_EQ(machine_pin_wait_edge(&button, MACHINE_PIN_RISING), -EPERM);
}

static int wait_for_press(void *arg) {
    (void)arg;
    return machine_pin_wait_edge(&button, MACHINE_PIN_FALLING);
}

static int second_waiter(void *arg) {
    asyncio_task_t *first = arg;
    int busy = machine_pin_wait_edge(&button, MACHINE_PIN_FALLING); /* the first is waiting */
    int first_result = asyncio_await(first);
    return busy == -EBUSY && first_result == MACHINE_PIN_FALLING ? 0 : -EPROTO;
}

/* A pin has one edge latch: one task waits on it at a time. */
static void test_one_waiter_per_pin(void) {
    machine_pin_init(&button, 15, MACHINE_PIN_IN);
    machine_pin_pull(&button, MACHINE_PIN_PULL_UP);
    machine_pin_sim_drive(15, 1);
    asyncio_loop_t *loop = virtual_loop();
    asyncio_task_t *first = asyncio_loop_create_task(loop, wait_for_press, NULL);
    asyncio_task_t *second = asyncio_loop_create_task(loop, second_waiter, first);
    asyncio_loop_call_later_ms(loop, 10, press, (void *)0);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, second), 0);
    asyncio_loop_close(loop);
}

int main(void) {
    snprintf(vcd_path, sizeof vcd_path, "/tmp/casyncio-test-%d.vcd", (int)getpid());
    setenv("ASYNCIO_VCD", vcd_path, 1);
    RUN(test_output_changes_are_recorded);
    RUN(test_vcd_trace);
    RUN(test_inputs_and_pulls);
    RUN(test_wait_edge);
    RUN(test_one_waiter_per_pin);
    machine_pin_sim_reset();
    unlink(vcd_path);
    return check_summary();
}
