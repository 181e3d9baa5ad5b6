/* Buttons on the host: edge counts that keep what happens while nobody
 * waits, several waiters on one pin, and the debounced button's events. */
#include "asyncio.h"
#include "check.h"
#include "machine.h"
#include "machine_sim.h"

#define BUTTON 14

static void level(void *arg) { machine_pin_sim_drive(BUTTON, (int)(intptr_t)arg); }

static machine_pin_t pin;

/* Two presses while the task sleeps: the next wait reports all four edges. */
static int busy_then_wait(void *arg) {
    (void)arg;
    machine_pin_edges_t seen;
    machine_pin_edges_now(&pin, &seen);
    if (machine_pin_wait_edge(&pin, MACHINE_PIN_FALLING) != -EBUSY) return -EPROTO; /* counted */
    asyncio_sleep_ms(100); /* edges at 10, 20, 30, 40 ms */
    int n = machine_pin_edges_wait(&pin, &seen);
    if (n != 4 || seen.rising != 2 || seen.falling != 2) return -EPROTO;
    return machine_pin_edges_wait(&pin, &seen); /* the next one, at 150 ms */
}

static void test_edges_are_latched(void) {
    machine_sim_reset();
    machine_pin_init(&pin, BUTTON, MACHINE_PIN_IN);
    machine_pin_pull(&pin, MACHINE_PIN_PULL_UP);
    CHECK_EQ(machine_pin_edges_enable(&pin), 0);
    asyncio_loop_t *loop = virtual_loop();
    for (int i = 0; i < 4; i++)
        asyncio_loop_call_later_ms(loop, 10u * (i + 1u), level, (void *)(intptr_t)(i % 2));
    asyncio_loop_call_later_ms(loop, 150, level, (void *)0);
    CHECK_EQ(
        asyncio_loop_run_until_complete(loop, asyncio_loop_create_task(loop, busy_then_wait, NULL)),
        1);
    CHECK_EQ(asyncio_loop_time_us(loop), 150000);
    asyncio_loop_close(loop);
}

static int waiter(void *arg) {
    (void)arg;
    machine_pin_edges_t seen;
    machine_pin_edges_now(&pin, &seen);
    return machine_pin_edges_wait(&pin, &seen);
}

static void test_many_waiters(void) {
    machine_sim_reset();
    machine_pin_init(&pin, BUTTON, MACHINE_PIN_IN);
    CHECK_EQ(machine_pin_edges_enable(&pin), 0);
    asyncio_loop_t *loop = virtual_loop();
    asyncio_task_t *t[3];
    for (int i = 0; i < 3; i++) t[i] = asyncio_loop_create_task(loop, waiter, NULL);
    asyncio_loop_call_later_ms(loop, 5, level, (void *)1);
    int results[3];
    for (int i = 0; i < 3; i++) {
        results[i] = asyncio_loop_run_until_complete(loop, t[i]);
        CHECK_EQ(results[i], 1);
    }
    asyncio_loop_close(loop);
    machine_pin_t out;
    machine_pin_init(&out, 3, MACHINE_PIN_OUT);
    CHECK_EQ(machine_pin_edges_enable(&out), -EINVAL);
}

/* A script of levels: (ms, level) pairs, the button active low. */
struct script {
    const uint32_t (*steps)[2];
    int n;
};

static machine_button_t button;
static int events[16], n_events;
static uint64_t event_ms[16];

static int listen(void *arg) {
    int until = (int)(intptr_t)arg;
    while (n_events < until) {
        int ev = machine_button_wait(&button);
        if (ev < 0) return ev;
        event_ms[n_events] = asyncio_ticks_us() / 1000u;
        events[n_events++] = ev;
    }
    return 0;
}

static void run_script(const uint32_t steps[][2], int n, int want_events) {
    machine_sim_reset();
    machine_pin_sim_drive(BUTTON, 1); /* released: the pull-up */
    CHECK_EQ(machine_button_init(&button, BUTTON, true), 0);
    n_events = 0;
    asyncio_loop_t *loop = virtual_loop();
    for (int i = 0; i < n; i++)
        asyncio_loop_call_later_ms(loop, steps[i][0], level, (void *)(intptr_t)steps[i][1]);
    asyncio_task_t *t = asyncio_loop_create_task(loop, listen, (void *)(intptr_t)want_events);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, t), 0);
    asyncio_loop_close(loop);
}

/* A bouncing press at 100 ms, released (bouncing) at 300 ms. */
static void test_press_release_debounced(void) {
    static const uint32_t steps[][2] = {{100, 0}, {102, 1}, {104, 0}, {300, 1}, {301, 0}, {303, 1}};
    run_script(steps, 6, 2);
    CHECK_EQ(events[0], MACHINE_BUTTON_PRESS);
    CHECK_EQ(event_ms[0], 120); /* the first edge + 20 ms of settling */
    CHECK_EQ(events[1], MACHINE_BUTTON_RELEASE);
    CHECK_EQ(event_ms[1], 320);
    CHECK(!machine_button_pressed(&button));
}

static void test_long_press(void) {
    static const uint32_t steps[][2] = {{100, 0}, {1500, 1}};
    run_script(steps, 2, 3);
    CHECK_EQ(events[0], MACHINE_BUTTON_PRESS);
    CHECK_EQ(events[1], MACHINE_BUTTON_LONG);
    CHECK_EQ(event_ms[1], 1120); /* held 1 s after the press was seen */
    CHECK_EQ(events[2], MACHINE_BUTTON_RELEASE);
}

static void test_double_press(void) {
    static const uint32_t steps[][2] = {{100, 0}, {150, 1}, {300, 0}, {350, 1}};
    run_script(steps, 4, 5);
    int want[5] = {MACHINE_BUTTON_PRESS, MACHINE_BUTTON_RELEASE, MACHINE_BUTTON_PRESS,
                   MACHINE_BUTTON_DOUBLE, MACHINE_BUTTON_RELEASE};
    for (int i = 0; i < 5; i++) CHECK_EQ(events[i], want[i]);
}

static int cancel_wait(void *arg) {
    (void)arg;
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 50);
    int r = machine_button_wait(&button);
    asyncio_timeout_exit(&scope);
    return r;
}

static void test_wait_times_out(void) {
    machine_sim_reset();
    machine_pin_sim_drive(BUTTON, 1);
    CHECK_EQ(machine_button_init(&button, BUTTON, true), 0);
    CHECK_EQ(run_virtual(cancel_wait, NULL), -ETIMEDOUT);
    CHECK_EQ(machine_button_wait(&button), -EPERM);
}

int main(void) {
    RUN(test_edges_are_latched);
    RUN(test_many_waiters);
    RUN(test_press_release_debounced);
    RUN(test_long_press);
    RUN(test_double_press);
    RUN(test_wait_times_out);
    machine_sim_reset();
    return check_summary();
}
