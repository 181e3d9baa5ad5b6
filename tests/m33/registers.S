/*
 * Helpers for switch_registers.c, in assembly because C cannot say which
 * register holds what.
 *
 * uint32_t m33_yield_keeps_registers(uint32_t seed)
 *   Loads every callee-saved register (r4-r11 and, when built for an FPU,
 *   s16-s31) with a value derived from seed, calls asyncio_yield() (other
 *   tasks run meanwhile, with their own values in the same registers), then
 *   returns how many of them no longer hold their value: 0 when the
 *   switch saved and restored them all.
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

    .global m33_yield_keeps_registers
    .type m33_yield_keeps_registers, %function
    .thumb_func
m33_yield_keeps_registers:
    push    {r4-r11, lr}
#if defined(__ARM_FP)
    vpush   {s16-s31}
#endif
    sub     sp, sp, #12             /* the seed at [sp]; 112 or 48 bytes: sp stays 8-aligned */
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
#endif
    bl      asyncio_yield
    ldr     r0, [sp]
    movs    r2, #0                  /* registers changed */
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
