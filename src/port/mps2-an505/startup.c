/*
 * The AN505's vector table, reset handler, bring-up, fault reports and the
 * way out of the emulator, around the shared Cortex-M start-up
 * (../cortex-m: start.c, fatal.c).
 *
 * qemu loads the .elf and starts the CPU from the table at 0x10000000 (the
 * Secure VTOR's reset value on the AN505): the first word is the initial
 * MSP, the second the reset handler, which enables the FPU and sets the
 * main stack's limit, then goes on in cortexm_start: C's memory,
 * cortexm_board_init (fault handlers, the console, the timers),
 * constructors, then main().
 */
#include <stdint.h>

#include "../../core/internal.h"
#include "../cortex-m/cortexm.h"
#include "an505.h"

_Noreturn void an505_reset(void);
void an505_fault(void);
void an505_fault_report(const uint32_t *frame);

typedef void (*vector_fn)(void);

/* A firmware (or a test) that wants SysTick's interrupt defines this
 * handler; without one an505.ld points the vector at
 * cortexm_unexpected_irq. */
#pragma weak an505_isr_systick

#define SYSTEM_VECTORS 16
#define IRQ_VECTORS    5 /* IRQ 0..4: the NVIC reads no vector of a line never enabled */

// clang-format off
__attribute__((section(".vectors"), used))
const vector_fn casyncio_vectors[SYSTEM_VECTORS + IRQ_VECTORS] = {
    [0] = (vector_fn)(uintptr_t)__stack_top__,
    [1] = an505_reset,
    [2] = cortexm_unexpected_irq,  /* NMI */
    [3] = an505_fault,             /* HardFault */
    [4] = an505_fault,             /* MemManage */
    [5] = an505_fault,             /* BusFault */
    [6] = an505_fault,             /* UsageFault: a stack limit crossed lands here */
    [7] = an505_fault,             /* SecureFault */
    [11] = cortexm_unexpected_irq, /* SVCall */
    [12] = cortexm_unexpected_irq, /* DebugMonitor */
    [14] = cortexm_unexpected_irq, /* PendSV */
    [15] = an505_isr_systick,
    [16] = cortexm_unexpected_irq, [17] = cortexm_unexpected_irq, [18] = cortexm_unexpected_irq,
    [16 + IRQ_TIMER0] = an505_isr_timer0,
    [16 + IRQ_TIMER1] = an505_isr_timer1,
};
// clang-format on

/* Runs before any C code: hard-float code may use the FPU anywhere (memcpy
 * included), and the FPU faults until CPACR grants access; and the main
 * stack gets its limit before anything is pushed. */
__attribute__((naked, noreturn)) void an505_reset(void) {
    __asm volatile("ldr r0, =%c0\n"
                   "ldr r1, [r0]\n"
                   "orr r1, r1, %1\n"
                   "str r1, [r0]\n"
                   "dsb\n"
                   "isb\n"
                   "ldr r0, =__stack_limit__\n"
                   "msr msplim, r0\n"
                   "bl cortexm_start\n"
                   ".ltorg\n" ::"i"(SCB_CPACR),
                   "i"(CPACR_CP10_CP11));
}

void cortexm_board_init(void) {
    /* Faults of their own instead of all escalating to HardFault, so that a
     * stack overflow (UsageFault STKOF) is told from the rest. */
    REG(SCB_SHCSR) |= SHCSR_USGFAULTENA | SHCSR_BUSFAULTENA | SHCSR_MEMFAULTENA;
    an505_uart_init();
    an505_timer_init();
}

/* Semihosting's SYS_EXIT_EXTENDED (0x20) with ADP_Stopped_ApplicationExit
 * (0x20026): qemu (-semihosting-config enable=on) exits with `status`.
 * Without semihosting the BKPT is a fault, and the fault report says so. */
_Noreturn void an505_exit(int status) {
    uint32_t block[2] = {0x20026u, (uint32_t)status};
    register uint32_t op __asm("r0") = 0x20u;
    register uint32_t *arg __asm("r1") = block;
    __asm volatile("bkpt 0xab" : "+r"(op) : "r"(arg) : "memory");
    for (;;) __asm volatile("wfi");
}

/* "casyncio: exit N", as on the RP2040, then qemu exits with N. */
_Noreturn void cortexm_exit(int status) {
    report("casyncio: exit %d\n", status);
    an505_exit(status);
}

/* After a fatal report (cortexm_fatal): qemu exits with status 1. `used`:
 * only assembly calls it. */
__attribute__((used)) _Noreturn void cortexm_halt(void) { an505_exit(1); }

/* A crossed stack limit is reported by the name of the task running (the
 * core's loop->current is the task whose stack it is: interrupt handlers
 * run on it too); anything else with the fault status and where. The
 * exception frame was not written when the limit stopped it, so only the
 * other faults read it. `used`: only assembly calls it. */
__attribute__((used)) void an505_fault_report(const uint32_t *frame) {
    uint32_t cfsr = REG(SCB_CFSR);
    if (cfsr & CFSR_STKOF) {
        const port_stack_t *stack;
        const char *name;
        core_running_task(&stack, &name);
        if (stack)
            cortexm_fatal("\ncasyncio: task '%s' overflowed its %u-byte stack\n", name,
                          (unsigned)port_stack_size(stack));
        cortexm_fatal("\ncasyncio: the main stack overflowed (CFSR 0x%x)\n", (unsigned)cfsr);
    }
    cortexm_fatal("\ncasyncio: fault, CFSR 0x%x, pc 0x%x\n", (unsigned)cfsr, (unsigned)frame[6]);
}

/* Tasks run in thread mode on MSP (stacks are switched by moving sp), so
 * the frame is on MSP. The limit goes first: the report's own pushes must
 * not fault again on the stack that overflowed. */
__attribute__((naked)) void an505_fault(void) {
    __asm volatile("mrs r0, msp\n"
                   "movs r1, #0\n"
                   "msr msplim, r1\n"
                   "ldr r1, =__stack_top__\n"
                   "mov sp, r1\n"
                   "bl an505_fault_report\n"
                   ".ltorg\n");
}
