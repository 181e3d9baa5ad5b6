/*
 * Fatal reports: the last words on the console before cortexm_halt().
 */
#include <stdint.h>

#include "cortexm.h"

/* The report needs a line's worth of stack, and the one in use may be the
 * one that overflowed or faulted: it runs on the top of the main stack
 * instead. On ARMv8-M the main stack's limit (MSPLIM, which a port may
 * point at a task's stack) goes first, so that those pushes cannot fault.
 * fmt takes at most two arguments: they arrive in r1 and r2 and are pushed
 * there as the va_list (the AAPCS's is a pointer to the arguments in
 * memory) that report_v() reads. BL, not B: a Thumb B reaches only 2 KB;
 * neither call returns here. */
__attribute__((naked)) _Noreturn void cortexm_fatal(const char *fmt, ...) {
    (void)fmt;
    __asm volatile(
#if defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8M_BASE__)
        "movs r3, #0\n"
        "msr msplim, r3\n"
#endif
        "ldr r3, =__stack_top__\n"
        "mov sp, r3\n"
        "push {r1, r2}\n"
        "mov r1, sp\n"
        "bl report_v\n"
        "bl cortexm_halt\n"
        ".ltorg\n");
}

/* The active exception number (IPSR: 6 bits on ARMv6-M, 9 on ARMv8-M)
 * tells which vector led here. */
void cortexm_unexpected_irq(void) {
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    cortexm_fatal("\ncasyncio: unexpected exception %u\n", (unsigned)ipsr & 0x1ffu);
}
