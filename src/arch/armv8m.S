/*
 * Context switch for ARMv8-M Mainline (Cortex-M33: the RP2350's Arm cores,
 * Arm's MPS2 AN505 image under qemu), Thumb-2.
 *
 * At a call boundary the AAPCS lets the callee clobber r0-r3, r12 and the
 * flags, so a switch saves only r4-r11 and the return address, on the stack
 * being left, and keeps the stack pointer in the context. Thumb-2 push/pop
 * reach r8-r11 directly (ARMv6-M needs them moved through low registers).
 *
 * The floating-point registers: when the code is built for an FPU
 * (__ARM_FP, which gcc defines for -mfloat-abi=hard and also for softfp, the
 * ABI pico-sdk builds the RP2350 with), the compiler keeps values in the FPU
 * registers across calls, and AAPCS-VFP makes s16-s31 callee-saved in both
 * ABIs (softfp only passes arguments in core registers). They are saved too.
 * With -mfloat-abi=soft (or an M33 without the FPU) the compiler never
 * touches the FPU and the switch leaves it alone. The FPU must be enabled
 * (CPACR CP10/CP11) before the first switch; start-up code does that.
 * The FPU registers are saved on every switch rather than only for tasks
 * that used the FPU: a switch is a function call, not an exception, so the
 * lazy-stacking hardware (CONTROL.FPCA, EXC_RETURN) does not help here.
 *
 * r3 is pushed as a pad word: the frame is then a multiple of 8 bytes, so a
 * suspended context's saved sp stays 8-byte aligned as the AAPCS requires of
 * every public interface, and a new task's entry gets an aligned sp.
 *
 * Nothing here touches MSPLIM/PSPLIM: a port that uses the stack limit
 * registers updates them around the switch (port_switch_begin/end, see
 * src/port/mps2-an505/port_inline.h); a port where a boot loader or SDK has
 * set MSPLIM to its main stack must clear it, or task stacks below that
 * limit fault on their first push.
 *
 * Saved frame, from the saved sp upwards (FRAME_BYTES):
 *   with the FPU:  +0 s16 ... +60 s31, then the core registers below at +64
 *   core registers: +0 r3 (pad)  +4 r4  +8 r5  ...  +32 r11  +36 return address
 */
#if !defined(__ARM_ARCH_8M_MAIN__)
#error "armv8m.S is for ARMv8-M Mainline (-mcpu=cortex-m33); ARMv6-M uses armv6m.S"
#endif

    .syntax unified
    .thumb
    .text

#if defined(__ARM_FP)
    .equ FPU_BYTES, 64              /* s16-s31 */
#else
    .equ FPU_BYTES, 0
#endif
    .equ CORE_BYTES, 40             /* r3 (pad), r4-r11, lr */
    .equ FRAME_BYTES, FPU_BYTES + CORE_BYTES
    .equ FRAME_R4, FPU_BYTES + 4
    .equ FRAME_R5, FPU_BYTES + 8
    .equ FRAME_PC, FPU_BYTES + 36

/* void arch_switch(arch_context_t *from, arch_context_t *to) */
    .global arch_switch
    .type arch_switch, %function
    .thumb_func
arch_switch:
    push    {r3-r11, lr}
#if defined(__ARM_FP)
    vpush   {s16-s31}
#endif
    str     sp, [r0]
    /* Through a register: a load straight into sp is deprecated in
     * Thumb-2, a move into it is not. */
    ldr     r2, [r1]
    mov     sp, r2
#if defined(__ARM_FP)
    vpop    {s16-s31}
#endif
    pop     {r3-r11, pc}
    .size arch_switch, . - arch_switch

/* void arch_context_make(arch_context_t *ctx, void *stack_lo, size_t size,
 *                        arch_entry_fn entry, void *arg)
 * Builds a frame that arch_switch pops into the trampoline below, with r4 =
 * entry and r5 = arg, every other saved register zero; the frame ends at the
 * 8-byte aligned top of the stack, so sp is aligned as the AAPCS requires
 * when the trampoline calls entry. */
    .global arch_context_make
    .type arch_context_make, %function
    .thumb_func
arch_context_make:
    add     r1, r1, r2              /* top of the stack */
    bic     r1, r1, #7              /* round down to 8 bytes */
    sub     r1, r1, #FRAME_BYTES
    str     r1, [r0]
    movs    r2, #0
    movs    r0, #0                  /* offset into the frame */
1:  str     r2, [r1, r0]            /* zero the whole frame */
    adds    r0, r0, #4
    cmp     r0, #FRAME_BYTES
    blo     1b
    str     r3, [r1, #FRAME_R4]
    ldr     r2, [sp]                /* 5th argument: arg */
    str     r2, [r1, #FRAME_R5]
    ldr     r2, =arch_task_trampoline  /* Thumb bit set: it is a Thumb function */
    str     r2, [r1, #FRAME_PC]
    bx      lr
    .size arch_context_make, . - arch_context_make

/* First code a new context runs: entry(arg). entry never returns; if it did,
 * stop here rather than run off into whatever follows. */
    .type arch_task_trampoline, %function
    .thumb_func
arch_task_trampoline:
    mov     r0, r5
    blx     r4
1:  bkpt    #0
    b       1b
    .size arch_task_trampoline, . - arch_task_trampoline

    .ltorg
