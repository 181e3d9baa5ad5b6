/*
 * Vector table, reset handler and fault handlers.
 *
 * boot2 points VTOR at this table (0x10000100), loads the stack pointer from
 * its first word and jumps to rp2040_reset, which prepares C's memory (.data,
 * .bss), the clocks and the console, runs constructors, then main().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../../core/driver.h"
#include "../../../drivers/rp2/uart.h"
#include "../rp2040.h"
#include "runtime.h"

int main(void);

/* From the linker script. */
extern uint32_t __data_start__[], __data_end__[], __data_load__[];
extern uint32_t __bss_start__[], __bss_end__[];
extern uint32_t __stack_top__[];
extern void (*__init_array_start__[])(void);
extern void (*__init_array_end__[])(void);

_Noreturn void rp2040_reset(void);
void rp2040_hard_fault(void);
void rp2040_hard_fault_report(const uint32_t *frame);

#define SYSTEM_VECTORS 16
#define TIMER_VECTORS  2 /* IRQ 0 and 1; vectors_irq.c has the others */

typedef void (*vector_fn)(void);

/* Overridden by watch.c when a firmware sets a slow-step threshold. */
void rp2040_isr_timer_alarm1(void) __attribute__((weak, alias("rp2040_unexpected_irq")));

/* Cortex-M0+ system exceptions, then the RP2040's first two interrupt
 * lines. The table goes on (rp2040.ld) with IRQ 2..25 only in firmware
 * that installs a handler for one of those (vectors_irq.c, irq.h): the NVIC
 * reads no vector of a line that was never enabled. */
// clang-format off
__attribute__((section(".vectors"), used))
const vector_fn casyncio_vectors[SYSTEM_VECTORS + TIMER_VECTORS] = {
    [0] = (vector_fn)(uintptr_t)__stack_top__,
    [1] = rp2040_reset,
    [2] = rp2040_unexpected_irq,  /* NMI */
    [3] = rp2040_hard_fault,
    [11] = rp2040_unexpected_irq, /* SVCall */
    [14] = rp2040_unexpected_irq, /* PendSV */
    [15] = rp2040_unexpected_irq, /* SysTick */
    /* IRQ 0, 1: TIMER_IRQ_0 (ALARM0: deadlines), TIMER_IRQ_1 (ALARM1: the slow-step watch) */
    rp2040_isr_timer_alarm0, rp2040_isr_timer_alarm1,
};
// clang-format on

/* The compiler would turn word loops into these calls anyway (string.c's
 * memcpy and memset need no .data nor .bss themselves). */
static void copy_data_zero_bss(void) {
    memcpy(__data_start__, __data_load__, (size_t)((char *)__data_end__ - (char *)__data_start__));
    memset(__bss_start__, 0, (size_t)((char *)__bss_end__ - (char *)__bss_start__));
}

_Noreturn void rp2040_reset(void) {
    copy_data_zero_bss();
    rp2040_clocks_init();
    rp2_uart_console_init();
    rp2040_timer_init();
    for (void (**ctor)(void) = __init_array_start__; ctor < __init_array_end__; ctor++) {
        (*ctor)();
    }
    exit(main());
}

/* `used`: rp2040_fatal calls it from assembly. */
__attribute__((used)) _Noreturn void rp2040_halt(void) {
    rp2_uart_flush();
    __asm volatile("cpsid i" ::: "memory");
    for (;;) {
        __asm volatile("wfi");
    }
}

/* The stack in use may be the one that overflowed or faulted, and the
 * report needs a line's worth of it: it runs on the top of the main stack
 * instead, where whatever ran is over. fmt takes at most two arguments: they
 * arrive in r1 and r2 and are pushed there as the va_list (the AAPCS's is a
 * pointer to the arguments in memory) that report_v() reads. BL, not B: a
 * Thumb B reaches only 2 KB; neither call returns here. */
__attribute__((naked)) _Noreturn void rp2040_fatal(const char *fmt, ...) {
    (void)fmt;
    __asm volatile("ldr r3, =__stack_top__\n"
                   "mov sp, r3\n"
                   "push {r1, r2}\n"
                   "mov r1, sp\n"
                   "bl report_v\n"
                   "bl rp2040_halt\n"
                   ".ltorg\n");
}

/* The active exception number (IPSR) tells which vector led here. */
void rp2040_unexpected_irq(void) {
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    rp2040_fatal("\ncasyncio: unexpected exception %u\n", (unsigned)ipsr & 0x3fu);
}

/* Called with the exception frame the CPU pushed: r0-r3, r12, lr, pc, xpsr.
 * Only assembly calls it: `used` keeps link-time optimisation from dropping
 * it. */
__attribute__((used)) void rp2040_hard_fault_report(const uint32_t *frame) {
    rp2040_fatal("\ncasyncio: hard fault at pc 0x%x, lr 0x%x\n", (unsigned)frame[6],
                 (unsigned)frame[5]);
}

/* Tasks run in thread mode on the main stack pointer (stacks are switched by
 * moving sp), so the frame is always on MSP. BL, not B: a Thumb B reaches
 * only 2 KB, and the linker may place the report further away; the report
 * never returns, so the clobbered lr does not matter. */
__attribute__((naked)) void rp2040_hard_fault(void) {
    __asm volatile("mrs r0, msp\n"
                   "bl rp2040_hard_fault_report\n");
}
