/*
 * Instructions per asyncio_yield on the Cortex-M33, counted by qemu (make
 * bench-m33). qemu is not cycle-accurate, so no cycles here: under -icount
 * shift=3 (tests/m33/run.sh) the emulated clock advances exactly 8 ns per
 * instruction executed, so the emulated time a busy stretch takes, read
 * from the 20 MHz TIMER0, is its instruction count times 8 ns. A loop of a
 * known instruction count checks that first.
 */
#include <stdint.h>
#include <stdio.h>

#include "../../src/arch/arch.h"
#include "asyncio.h"

#define NS_PER_INSTRUCTION 8u /* run.sh: -icount shift=3 */
#define CALIBRATION_LOOPS  1000000u
#define YIELDS             20000
#define SWITCHES           100000u

#if defined(__ARM_FP)
#define BUILD "FPU build, s16-s31 saved"
#else
#define BUILD "soft-float build"
#endif

static double instructions_in(uint64_t us) { return (double)us * 1000.0 / NS_PER_INSTRUCTION; }

/* Two instructions a loop. */
static void spin(uint32_t loops) {
    __asm volatile("1: subs %0, %0, #1\n"
                   "   bne 1b"
                   : "+r"(loops)::"cc");
}

static int yielder(void *arg) {
    (void)arg;
    for (int i = 0; i < YIELDS; i++) asyncio_yield();
    return 0;
}

static int measure_yield(void *arg) {
    uint64_t *elapsed = arg;
    asyncio_task_t *tasks[2];
    tasks[0] = asyncio_create_task(yielder, NULL);
    tasks[1] = asyncio_create_task(yielder, NULL);
    asyncio_yield(); /* both tasks are past their first switch in */
    uint64_t t0 = asyncio_ticks_us();
    int r = asyncio_gather(tasks, 2, NULL, 0);
    *elapsed = asyncio_ticks_us() - t0;
    return r;
}

/* The bare switch: two contexts handing the CPU back and forth. */
static arch_context_t main_context, peer_context;
static uint64_t peer_stack[256];

static void peer(void *arg) {
    (void)arg;
    for (;;) arch_switch(&peer_context, &main_context);
}

int main(void) {
    uint64_t t0 = asyncio_ticks_us();
    spin(CALIBRATION_LOOPS);
    double spin_instructions = instructions_in(asyncio_ticks_us() - t0);
    printf("Cortex-M33 (%s), instructions counted by qemu -icount\n", BUILD);
    printf("calibration: a loop of %u instructions measured as %.0f\n", 2u * CALIBRATION_LOOPS,
           spin_instructions);

    uint64_t elapsed = 0;
    if (asyncio_run(measure_yield, &elapsed) != 0) return 1;
    printf("asyncio_yield between two tasks: %.1f instructions (%d yields in %u us emulated)\n",
           instructions_in(elapsed) / (2.0 * YIELDS), 2 * YIELDS, (unsigned)elapsed);

    /* The port keeps MSPLIM at the running task's stack bottom around its
     * own switches; these bare ones go without a limit. */
    __asm volatile("msr msplim, %0" ::"r"(0u));
    arch_context_make(&peer_context, peer_stack, sizeof peer_stack, peer, NULL);
    t0 = asyncio_ticks_us();
    for (uint32_t i = 0; i < SWITCHES / 2u; i++) arch_switch(&main_context, &peer_context);
    printf("arch_switch alone, with its call and loop: %.1f instructions\n",
           instructions_in(asyncio_ticks_us() - t0) / SWITCHES);
    /* The calibration decides whether the figures above can be trusted. */
    double error = spin_instructions / (2.0 * CALIBRATION_LOOPS) - 1.0;
    return error > -0.001 && error < 0.001 ? 0 : 1;
}
