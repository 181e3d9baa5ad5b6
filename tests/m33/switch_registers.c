/*
 * Many tasks switching on a Cortex-M33: every callee-saved register (r4-r11,
 * and s16-s31 when built for the FPU) and the C locals of every task survive
 * thousands of switches between tasks that all use the same registers,
 * while SysTick interrupts every 20 us clobber every register a handler may
 * (registers.S); and a new task starts with its stack 8-byte aligned, as
 * the AAPCS requires.
 */
#include <errno.h>
#include <stdint.h>

#include "an505.h"
#include "asyncio.h"
#include "check.h"

uint32_t m33_yield_keeps_registers(uint32_t seed);
uintptr_t m33_sp(void);
extern volatile uint32_t m33_ticks; /* SysTick interrupts taken */

/* 400 ticks of the 20 MHz CPU clock: 20 us, a few thousand instructions. */
#define SYSTICK_PERIOD 400u

#define TASKS  16
#define ROUNDS 300

static int changed_registers;

/* The same arithmetic twice: once across suspensions, once without. */
struct locals {
    double sum;
    float scaled;
    uint32_t hash;
};

static void step(struct locals *l, unsigned id, int round) {
    l->sum = l->sum * 1.000001 + (double)round / (id + 1u);
    l->scaled = l->scaled * 0.999f + 0.25f * (float)id;
    l->hash = l->hash * 31u + (uint32_t)round;
}

static int worker(void *arg) {
    unsigned id = (unsigned)(uintptr_t)arg;
    if (m33_sp() % 8u) return -EFAULT; /* the switch left the stack misaligned */
    double sum = id;
    float scaled = 0.5f * (float)id;
    uint32_t hash = id * 2654435761u;
    for (int round = 0; round < ROUNDS; round++) {
        changed_registers += (int)m33_yield_keeps_registers(id * 0x01000193u + (uint32_t)round);
        struct locals l = {sum, scaled, hash};
        step(&l, id, round);
        sum = l.sum, scaled = l.scaled, hash = l.hash;
        /* Sleeps end with the timer interrupt, taken on this task's stack
         * while its FPU registers hold live values. */
        int r = round % 32 == 0 ? asyncio_sleep_us(100u + id) : asyncio_yield();
        if (r < 0) return r;
    }
    struct locals want = {id, 0.5f * (float)id, id * 2654435761u};
    for (int round = 0; round < ROUNDS; round++) step(&want, id, round);
    return sum == want.sum && scaled == want.scaled && hash == want.hash ? (int)id : -EIO;
}

static int run_workers(void *arg) {
    int *results = arg;
    asyncio_task_t *tasks[TASKS];
    for (unsigned i = 0; i < TASKS; i++) tasks[i] = asyncio_create_task(worker, (void *)(uintptr_t)i);
    return asyncio_gather(tasks, TASKS, results, ASYNCIO_RETURN_EXCEPTIONS);
}

static void test_registers_and_locals_survive_switches(void) {
    int results[TASKS];
    REG(SYST_RVR) = SYSTICK_PERIOD - 1u;
    REG(SYST_CVR) = 0;
    REG(SYST_CSR) = 0x7u; /* enabled, interrupting, on the CPU clock */
    CHECK_EQ(asyncio_run(run_workers, results), 0);
    REG(SYST_CSR) = 0;
    for (int i = 0; i < TASKS; i++) CHECK_EQ(results[i], i);
    CHECK_EQ(changed_registers, 0);
    CHECK(m33_ticks > 100u); /* the interrupts did come */
    printf("%u SysTick interrupts\n", (unsigned)m33_ticks);
}

int main(void) {
    RUN(test_registers_and_locals_survive_switches);
    return check_summary();
}
