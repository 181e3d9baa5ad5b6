/*
 * Buttons on the RP2040 (check_periph.mjs button): the emulator presses the
 * button on GPIO 14 (to ground, with bounces) and pulses GPIO 15. One task
 * prints the debounced button's events with their times; two tasks count
 * the pulses on GPIO 15, one of them busy for a while, and print what each
 * saw: no pulse is lost and both see them all.
 */
#include <stdio.h>

#include "asyncio.h"
#include "machine.h"

static machine_button_t button;
static machine_pin_t pulses;

static const char *const names[] = {"?", "press", "release", "long", "double"};

static int listen(void *arg) {
    (void)arg;
    for (int i = 0; i < 10; i++) {
        int ev = machine_button_wait(&button);
        if (ev < 0) return ev;
        printf("button %s at %u ms\n", names[ev], (unsigned)(asyncio_ticks_us() / 1000u));
    }
    return 0;
}

/* Counts 10 pulses (20 edges); `busy_ms`: away that long at first. */
static int count(void *arg) {
    uint32_t busy_ms = (uint32_t)(uintptr_t)arg;
    machine_pin_edges_t seen;
    machine_pin_edges_now(&pulses, &seen);
    asyncio_sleep_ms(busy_ms);
    int total = 0, waits = 0;
    while (total < 20) {
        int n = machine_pin_edges_wait(&pulses, &seen);
        if (n < 0) return n;
        total += n;
        waits++;
    }
    printf("counter %u: %d edges (%u rising, %u falling) in %d waits\n", (unsigned)busy_ms, total,
           (unsigned)seen.rising, (unsigned)seen.falling, waits);
    return 0;
}

static int run_all(void *arg) {
    (void)arg;
    asyncio_task_t *a = asyncio_create_task(count, (void *)0);
    asyncio_task_t *b = asyncio_create_task(count, (void *)(uintptr_t)50);
    asyncio_task_t *c = asyncio_create_task(listen, NULL);
    int ra = asyncio_await(a), rb = asyncio_await(b), rc = asyncio_await(c);
    return ra || rb || rc;
}

int main(void) {
    printf("init %d", machine_button_init(&button, 14, true));
    machine_pin_init(&pulses, 15, MACHINE_PIN_IN);
    printf(" %d\n", machine_pin_edges_enable(&pulses));
    return asyncio_run(run_all, NULL);
}
