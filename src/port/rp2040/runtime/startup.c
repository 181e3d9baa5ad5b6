/*
 * The RP2040's vector table, bring-up, halt and fault reports, around the
 * shared Cortex-M start-up (../../cortex-m: start.c, fatal.c).
 *
 * boot2 points VTOR at this table (0x10000100), loads the stack pointer from
 * its first word and jumps to cortexm_start, which prepares C's memory
 * (.data, .bss), calls cortexm_board_init (the clocks, the console, the
 * timer), runs constructors, then main().
 */
#include <stdint.h>

#include "../../../core/driver.h"
#include "../../../drivers/rp2/uart.h"
#include "../../cortex-m/cortexm.h"
#include "../rp2040.h"
#include "runtime.h"

void rp2040_hard_fault(void);
void rp2040_hard_fault_report(const uint32_t *frame);

#define SYSTEM_VECTORS 16
#define TIMER_VECTORS  2 /* IRQ 0 and 1; vectors_irq.c has the others */

typedef void (*vector_fn)(void);

/* watch.c's, when a firmware sets a slow-step threshold. A weak reference,
 * so that the vector table alone does not link watch.c; without it
 * rp2040.ld points the vector at cortexm_unexpected_irq. */
#pragma weak rp2040_isr_timer_alarm1

/* Cortex-M0+ system exceptions, then the RP2040's first two interrupt
 * lines. The table goes on (rp2040.ld) with IRQ 2..25 only in firmware
 * that installs a handler for one of those (vectors_irq.c, irq.h): the NVIC
 * reads no vector of a line that was never enabled. */
// clang-format off
__attribute__((section(".vectors"), used))
const vector_fn casyncio_vectors[SYSTEM_VECTORS + TIMER_VECTORS] = {
    [0] = (vector_fn)(uintptr_t)__stack_top__,
    [1] = cortexm_start,
    [2] = cortexm_unexpected_irq,  /* NMI */
    [3] = rp2040_hard_fault,
    [11] = cortexm_unexpected_irq, /* SVCall */
    [14] = cortexm_unexpected_irq, /* PendSV */
    [15] = cortexm_unexpected_irq, /* SysTick */
    /* IRQ 0, 1: TIMER_IRQ_0 (ALARM0: deadlines), TIMER_IRQ_1 (ALARM1: the slow-step watch) */
    rp2040_isr_timer_alarm0, rp2040_isr_timer_alarm1,
};
// clang-format on

void cortexm_board_init(void) {
    rp2040_clocks_init();
    rp2_uart_console_init();
    rp2040_timer_init();
}

/* Interrupts off, the CPU asleep for good (the emulator runner reports a
 * CPU sleeping with PRIMASK set as "halted"), once the report has left the
 * UART. `used`: cortexm_fatal calls it from assembly. */
__attribute__((used)) _Noreturn void cortexm_halt(void) {
    rp2_uart_flush();
    __asm volatile("cpsid i" ::: "memory");
    for (;;) {
        __asm volatile("wfi");
    }
}

/* The canary below a task's stack was overwritten (port_inline.h). */
_Noreturn void port_stack_overflowed(const port_stack_t *s) {
    const port_stack_t *running;
    const char *name;
    core_running_task(&running, &name);
    cortexm_fatal("\ncasyncio: task '%s' overflowed its %u-byte stack\n",
                  name && running == s ? name : "?", (unsigned)port_stack_size(s));
}

/* Called with the exception frame the CPU pushed: r0-r3, r12, lr, pc, xpsr.
 * Only assembly calls it: `used` keeps link-time optimisation from dropping
 * it. */
__attribute__((used)) void rp2040_hard_fault_report(const uint32_t *frame) {
    cortexm_fatal("\ncasyncio: hard fault at pc 0x%x, lr 0x%x\n", (unsigned)frame[6],
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
