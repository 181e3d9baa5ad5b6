/*
 * Helpers for switch_registers.c, in assembly because C cannot say which
 * register holds what.
 *
 * uint32_t m33_yield_keeps_registers(uint32_t seed)
 *   Loads r4-r11 and, when built for an FPU, s0-s31 with values derived
 *   from seed; spins a while, so that SysTick interrupts (an505_isr_systick
 *   below) land while they are live, and checks s0-s15, which only the
 *   hardware's exception stacking keeps; then calls asyncio_yield() (other
 *   tasks run meanwhile, with their own values in the same registers) and
 *   checks the callee-saved registers, r4-r11 and s16-s31, which the
 *   switch must keep. Returns how many registers changed: 0 when all kept.
 *
 * void an505_isr_systick(void)
 *   The SysTick handler switch_registers.c enables: it counts itself in
 *   m33_ticks and overwrites every register an interrupt handler may
 *   clobber (r0-r3, r12, s0-s15 and FPSCR's rounding mode, which the
 *   hardware's lazy FPU stacking restores), and s16-s31, which it saves and
 *   restores itself, as the AAPCS asks of every function.
 *
 * uintptr_t m33_sp(void)
 *   The caller's sp at the call: a multiple of 8 wherever the AAPCS holds.
 */
    .syntax unified
    .thumb
    .text

/* Each register gets seed ^ a constant of its own. */
.macro EXPECT reg, mask
    eor     r1, r0, #\mask
    cmp     \reg, r1
    it      ne
    addne   r2, r2, #1
.endm
.macro EXPECT_S sreg, mask
    vmov    r3, \sreg
    EXPECT  r3, \mask
.endm
.macro LOAD_S sreg, mask
    eor     r1, r0, #\mask
    vmov    \sreg, r1
.endm

/* The scratch FPU registers' constants, shared by LOAD and CHECK. */
.macro SCRATCH_S op
    \op    s0, 0x00100010
    \op    s1, 0x00200020
    \op    s2, 0x00300030
    \op    s3, 0x00400040
    \op    s4, 0x00500050
    \op    s5, 0x00600060
    \op    s6, 0x00700070
    \op    s7, 0x00800080
    \op    s8, 0x00900090
    \op    s9, 0x00a000a0
    \op    s10, 0x00b000b0
    \op    s11, 0x00c000c0
    \op    s12, 0x00d000d0
    \op    s13, 0x00e000e0
    \op    s14, 0x00f000f0
    \op    s15, 0x00080008
.endm

/* Long enough for a few SysTick interrupts to land in it now and then. */
#define SPIN_LOOPS 200

    .global m33_yield_keeps_registers
    .type m33_yield_keeps_registers, %function
    .thumb_func
m33_yield_keeps_registers:
    push    {r4-r11, lr}
#if defined(__ARM_FP)
    vpush   {s16-s31}
#endif
    sub     sp, sp, #12             /* [sp]: seed, [sp, #4]: changed so far; sp stays 8-aligned */
    str     r0, [sp]
    eor     r4, r0, #0x00000000
    eor     r5, r0, #0x11111111
    eor     r6, r0, #0x22222222
    eor     r7, r0, #0x33333333
    eor     r8, r0, #0x44444444
    eor     r9, r0, #0x55555555
    eor     r10, r0, #0x66666666
    eor     r11, r0, #0x77777777
#if defined(__ARM_FP)
    LOAD_S  s16, 0x88888888
    LOAD_S  s17, 0x99999999
    LOAD_S  s18, 0xaaaaaaaa
    LOAD_S  s19, 0xbbbbbbbb
    LOAD_S  s20, 0xcccccccc
    LOAD_S  s21, 0xdddddddd
    LOAD_S  s22, 0xeeeeeeee
    LOAD_S  s23, 0xffffffff
    LOAD_S  s24, 0x01010101
    LOAD_S  s25, 0x02020202
    LOAD_S  s26, 0x03030303
    LOAD_S  s27, 0x04040404
    LOAD_S  s28, 0x05050505
    LOAD_S  s29, 0x06060606
    LOAD_S  s30, 0x07070707
    LOAD_S  s31, 0x08080808
    SCRATCH_S LOAD_S
#endif
    movs    r2, #0                  /* registers changed */
    mov     r12, #SPIN_LOOPS
1:  subs    r12, r12, #1
    bne     1b
#if defined(__ARM_FP)
    SCRATCH_S EXPECT_S
#endif
    str     r2, [sp, #4]
    bl      asyncio_yield
    ldr     r0, [sp]
    ldr     r2, [sp, #4]
    EXPECT  r4, 0x00000000
    EXPECT  r5, 0x11111111
    EXPECT  r6, 0x22222222
    EXPECT  r7, 0x33333333
    EXPECT  r8, 0x44444444
    EXPECT  r9, 0x55555555
    EXPECT  r10, 0x66666666
    EXPECT  r11, 0x77777777
#if defined(__ARM_FP)
    EXPECT_S s16, 0x88888888
    EXPECT_S s17, 0x99999999
    EXPECT_S s18, 0xaaaaaaaa
    EXPECT_S s19, 0xbbbbbbbb
    EXPECT_S s20, 0xcccccccc
    EXPECT_S s21, 0xdddddddd
    EXPECT_S s22, 0xeeeeeeee
    EXPECT_S s23, 0xffffffff
    EXPECT_S s24, 0x01010101
    EXPECT_S s25, 0x02020202
    EXPECT_S s26, 0x03030303
    EXPECT_S s27, 0x04040404
    EXPECT_S s28, 0x05050505
    EXPECT_S s29, 0x06060606
    EXPECT_S s30, 0x07070707
    EXPECT_S s31, 0x08080808
#endif
    mov     r0, r2
    add     sp, sp, #12
#if defined(__ARM_FP)
    vpop    {s16-s31}
#endif
    pop     {r4-r11, pc}
    .size m33_yield_keeps_registers, . - m33_yield_keeps_registers

    .global m33_sp
    .type m33_sp, %function
    .thumb_func
m33_sp:
    mov     r0, sp
    bx      lr
    .size m33_sp, . - m33_sp

    .global an505_isr_systick
    .type an505_isr_systick, %function
    .thumb_func
an505_isr_systick:
    ldr     r0, =m33_ticks
    ldr     r1, [r0]
    adds    r1, r1, #1
    str     r1, [r0]
    mvn     r0, #0
    mvn     r1, #0
    mvn     r2, #0
    mvn     r3, #0
    mvn     r12, #0
#if defined(__ARM_FP)
    vpush   {s16-s31}
    .irp reg, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15, s16, s17, s18, s19, s20, s21, s22, s23, s24, s25, s26, s27, s28, s29, s30, s31
    vmov    \reg, r0
    .endr
    vmrs    r1, fpscr
    orr     r1, r1, #(3 << 22)      /* round towards zero */
    vmsr    fpscr, r1
    vpop    {s16-s31}
#endif
    bx      lr
    .size an505_isr_systick, . - an505_isr_systick

    .bss
    .align 2
    .global m33_ticks
m33_ticks:
    .word 0
    .text
    .ltorg
