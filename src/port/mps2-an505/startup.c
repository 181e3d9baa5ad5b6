/*
 * Vector table, reset handler, fault handlers and the way out of the
 * emulator.
 *
 * qemu loads the .elf and starts the CPU from the table at 0x10000000 (the
 * Secure VTOR's reset value on the AN505): the first word is the initial
 * MSP, the second the reset handler, which enables the FPU, sets the main
 * stack's limit, prepares C's memory, the console and the timers, runs
 * constructors, then main().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/internal.h"
#include "an505.h"

int main(void);

/* From the linker script. */
extern uint32_t __data_start__[], __data_end__[], __data_load__[];
extern uint32_t __bss_start__[], __bss_end__[];
extern void (*__init_array_start__[])(void);
extern void (*__init_array_end__[])(void);

_Noreturn void an505_reset(void);
void an505_fault(void);
void an505_fault_report(const uint32_t *frame);
void an505_unexpected_irq(void);

typedef void (*vector_fn)(void);

/* The port leaves SysTick alone: a firmware (or a test) that wants its
 * interrupt defines this handler. */
void an505_isr_systick(void) __attribute__((weak, alias("an505_unexpected_irq")));

#define SYSTEM_VECTORS 16
#define IRQ_VECTORS    5 /* IRQ 0..4: the NVIC reads no vector of a line never enabled */

// clang-format off
__attribute__((section(".vectors"), used))
const vector_fn casyncio_vectors[SYSTEM_VECTORS + IRQ_VECTORS] = {
    [0] = (vector_fn)(uintptr_t)__stack_top__,
    [1] = an505_reset,
    [2] = an505_unexpected_irq,  /* NMI */
    [3] = an505_fault,           /* HardFault */
    [4] = an505_fault,           /* MemManage */
    [5] = an505_fault,           /* BusFault */
    [6] = an505_fault,           /* UsageFault: a stack limit crossed lands here */
    [7] = an505_fault,           /* SecureFault */
    [11] = an505_unexpected_irq, /* SVCall */
    [12] = an505_unexpected_irq, /* DebugMonitor */
    [14] = an505_unexpected_irq, /* PendSV */
    [15] = an505_isr_systick,
    [16] = an505_unexpected_irq, [17] = an505_unexpected_irq, [18] = an505_unexpected_irq,
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
                   "bl an505_start\n"
                   ".ltorg\n" ::"i"(SCB_CPACR),
                   "i"(CPACR_CP10_CP11));
}

/* `used`: only the assembly above calls it. */
__attribute__((used, noreturn)) void an505_start(void) {
    memcpy(__data_start__, __data_load__, (size_t)((char *)__data_end__ - (char *)__data_start__));
    memset(__bss_start__, 0, (size_t)((char *)__bss_end__ - (char *)__bss_start__));
    /* Faults of their own instead of all escalating to HardFault, so that a
     * stack overflow (UsageFault STKOF) is told from the rest. */
    REG(SCB_SHCSR) |= SHCSR_USGFAULTENA | SHCSR_BUSFAULTENA | SHCSR_MEMFAULTENA;
    an505_uart_init();
    an505_timer_init();
    for (void (**ctor)(void) = __init_array_start__; ctor < __init_array_end__; ctor++) (*ctor)();
    exit(main());
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

/* The stack in use may be the one that overflowed or faulted, and the
 * report needs a line's worth of it: it runs on the top of the main stack
 * instead, with no limit. fmt takes at most two arguments: they arrive in
 * r1 and r2 and are pushed there as the va_list (the AAPCS's is a pointer
 * to the arguments in memory) that report_v() reads. */
__attribute__((naked, noreturn)) void an505_fatal(const char *fmt, ...) {
    (void)fmt;
    __asm volatile("movs r3, #0\n"
                   "msr msplim, r3\n"
                   "ldr r3, =__stack_top__\n"
                   "mov sp, r3\n"
                   "push {r1, r2}\n"
                   "mov r1, sp\n"
                   "bl report_v\n"
                   "movs r0, #1\n"
                   "bl an505_exit\n"
                   ".ltorg\n");
}

/* The active exception number (IPSR) tells which vector led here. */
void an505_unexpected_irq(void) {
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    an505_fatal("\ncasyncio: unexpected exception %u\n", (unsigned)ipsr & 0x1ffu);
}

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
            an505_fatal("\ncasyncio: task '%s' overflowed its %u-byte stack\n", name,
                        (unsigned)port_stack_size(stack));
        an505_fatal("\ncasyncio: the main stack overflowed (CFSR 0x%x)\n", (unsigned)cfsr);
    }
    an505_fatal("\ncasyncio: fault, CFSR 0x%x, pc 0x%x\n", (unsigned)cfsr, (unsigned)frame[6]);
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
