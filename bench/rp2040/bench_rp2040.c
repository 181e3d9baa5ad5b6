/*
 * RP2040 figures, measured in the emulator by bench.mjs from GPIO markers
 * (the runner stamps each pin change with the CPU's cycle and instruction
 * counters):
 *   GPIO 10 high..low  2 tasks x YIELDS asyncio_yield() each -> cycles per switch
 *   GPIO 11 toggles    one task waking from a 1 ms sleep, WAKES times
 *                      -> instructions per timer wake-up (alarm IRQ, loop,
 *                         task, back to WFE)
 *   GPIO 2 -> GPIO 3   edges driven by the runner, a task in
 *                      machine_pin_wait_edge() toggles GPIO 3 -> latency
 * and prints the heap the blink example's objects take (loop, task records)
 * besides their stacks.
 */
#include <malloc.h>
#include <stdio.h>

#include "asyncio.h"
#include "machine.h"

#define YIELDS 1000
#define WAKES  100
#define EDGES  10

static machine_pin_t yield_marker, wake_marker, edge_in, edge_out;

static int yielder(void *arg) {
    (void)arg;
    for (int i = 0; i < YIELDS; i++) asyncio_yield();
    return 0;
}

static int measure_yield(void) {
    asyncio_task_t *tasks[2];
    tasks[0] = asyncio_create_task(yielder, NULL);
    tasks[1] = asyncio_create_task(yielder, NULL);
    asyncio_yield(); /* both tasks are past their first switch in */
    machine_pin_on(&yield_marker);
    int r = asyncio_gather(tasks, 2, NULL, 0);
    machine_pin_off(&yield_marker);
    return r;
}

static int measure_wake(void) {
    for (int i = 0; i < WAKES; i++) {
        machine_pin_toggle(&wake_marker);
        if (asyncio_sleep_ms(1) < 0) return -1;
    }
    return 0;
}

static int measure_edge(void) {
    for (int i = 0; i < EDGES; i++) {
        if (machine_pin_wait_edge(&edge_in, MACHINE_PIN_RISING | MACHINE_PIN_FALLING) < 0)
            return -1;
        machine_pin_toggle(&edge_out);
    }
    return 0;
}

static int idle(void *arg) {
    (void)arg;
    for (;;)
        if (asyncio_sleep(2.0) < 0) return 0;
}

/* Bytes of the heap casyncio allocates from in use: on pico-sdk its own
 * (src/port/pico-sdk/port_heap.c), bare metal malloc's. */
static size_t heap_in_use(void) {
#if defined(CASYNCIO_PORT_PICO_SDK)
    return casyncio_pico_heap_in_use();
#else
    return mallinfo().uordblks;
#endif
}

/* The heap that blink's objects hold once its main task has ended: the loop
 * and two sleeping tasks, minus their two stacks (each stack chunk is the
 * stack, an 8-byte canary and malloc's 8 bytes of header and rounding). */
static void report_blink_heap(void) {
    size_t before = heap_in_use();
    asyncio_loop_t *loop = asyncio_new_event_loop();
    asyncio_task_t *a = asyncio_loop_create_task(loop, idle, NULL);
    asyncio_task_t *b = asyncio_loop_create_task(loop, idle, NULL);
    size_t after = heap_in_use();
    size_t stacks = 2u * (ASYNCIO_DEFAULT_STACK + 16u);
    printf("heap: loop + 2 tasks %u B, of which stacks %u B, besides stacks %u B\n",
           (unsigned)(after - before), (unsigned)stacks, (unsigned)(after - before - stacks));
    asyncio_task_cancel(a);
    asyncio_task_cancel(b);
    asyncio_task_detach(a);
    asyncio_task_detach(b);
    asyncio_loop_close(loop);
}

/* The record's size: a task on a caller-provided stack whose record sits in
 * ASYNCIO_TASK_STORAGE_SIZE bytes of caller storage takes nothing from the
 * heap; created without the storage, it takes one heap chunk (the record
 * plus the allocator's header and rounding). */
static int measure_task_record(void) {
    static uint64_t stack[ASYNCIO_MIN_STACK / sizeof(uint64_t)];
    static void *storage[ASYNCIO_TASK_STORAGE_SIZE / sizeof(void *)];
    asyncio_task_opts_t in_storage = {
        .stack = stack, .stack_size = sizeof stack, .storage = storage};
    asyncio_task_opts_t on_heap = {.stack = stack, .stack_size = sizeof stack};
    int r = 0;
    size_t heap[2];
    for (int i = 0; i < 2; i++) {
        size_t before = heap_in_use();
        asyncio_task_t *t = asyncio_create_task_ex(idle, NULL, i ? &on_heap : &in_storage);
        heap[i] = heap_in_use() - before;
        asyncio_task_cancel(t);
        if (asyncio_await(t) != -ECANCELED) r = -1;
    }
    printf("task record: %u B of caller storage and %u B of heap, or a heap chunk of %u B\n",
           (unsigned)sizeof storage, (unsigned)heap[0], (unsigned)heap[1]);
    return r;
}

static int bench(void *arg) {
    (void)arg;
    if (measure_yield() < 0) return 1;
    if (measure_wake() < 0) return 2;
    if (measure_task_record() < 0) return 4;
    printf("edges\n"); /* the runner starts driving GPIO 2 after this */
    if (measure_edge() < 0) return 3;
    return 0;
}

int main(void) {
    machine_pin_init(&yield_marker, 10, MACHINE_PIN_OUT);
    machine_pin_init(&wake_marker, 11, MACHINE_PIN_OUT);
    machine_pin_init(&edge_in, 2, MACHINE_PIN_IN);
    machine_pin_pull(&edge_in, MACHINE_PIN_PULL_DOWN);
    machine_pin_init(&edge_out, 3, MACHINE_PIN_OUT);
    int r = asyncio_run(bench, NULL);
    report_blink_heap();
    return r;
}
