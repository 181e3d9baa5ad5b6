/*
 * Context switch for ARMv6-M (Cortex-M0/M0+, Thumb-1).
 *
 * At a call boundary the AAPCS lets the callee clobber r0-r3, r12 and the
 * flags, so a switch saves only r4-r11 and the return address, on the stack
 * being left, and keeps the stack pointer in the context. Thumb-1 push/pop
 * reach only r0-r7 and lr/pc, so r8-r11 travel through low registers.
 *
 * Saved frame, from the saved sp upwards (9 words):
 *   +0 r8  +4 r9  +8 r10  +12 r11  +16 r4  +20 r5  +24 r6  +28 r7  +32 return address
 */
    .syntax unified
    .cpu cortex-m0plus
    .thumb
    .text

    .equ FRAME_WORDS, 9
    .equ FRAME_R4, 16
    .equ FRAME_R5, 20
    .equ FRAME_PC, 32

/* void arch_switch(arch_context_t *from, arch_context_t *to) */
    .global arch_switch
    .type arch_switch, %function
    .thumb_func
arch_switch:
    push {r4-r7, lr}
    mov  r2, r8
    mov  r3, r9
    mov  r4, r10
    mov  r5, r11
    push {r2-r5}
    mov  r2, sp
    str  r2, [r0]
    ldr  r2, [r1]
    mov  sp, r2
    pop  {r2-r5}
    mov  r8, r2
    mov  r9, r3
    mov  r10, r4
    mov  r11, r5
    movs r0, #0                     /* for a port's assembly yield resumed here */
    pop  {r4-r7, pc}
    .size arch_switch, . - arch_switch

/* void arch_context_make(arch_context_t *ctx, void *stack_lo, size_t size,
 *                        arch_entry_fn entry, void *arg)
 * Builds a frame that arch_switch pops into the trampoline below, with r4 =
 * entry and r5 = arg; the frame ends at the 8-byte aligned top of the stack,
 * so sp is aligned as the AAPCS requires when the trampoline calls entry. */
    .global arch_context_make
    .type arch_context_make, %function
    .thumb_func
arch_context_make:
    adds r1, r1, r2                 /* top of the stack */
    movs r2, #7
    bics r1, r2                     /* round down to 8 bytes */
    subs r1, #(FRAME_WORDS * 4)
    str  r1, [r0]
    movs r2, #0
    str  r2, [r1, #0]               /* r8-r11, r6, r7 start at zero */
    str  r2, [r1, #4]
    str  r2, [r1, #8]
    str  r2, [r1, #12]
    str  r2, [r1, #24]
    str  r2, [r1, #28]
    str  r3, [r1, #FRAME_R4]
    ldr  r2, [sp]                   /* 5th argument: arg */
    str  r2, [r1, #FRAME_R5]
    ldr  r2, =arch_task_trampoline  /* Thumb bit set: it is a Thumb function */
    str  r2, [r1, #FRAME_PC]
    bx   lr
    .size arch_context_make, . - arch_context_make

/* First code a new context runs: entry(arg). entry never returns; if it did,
 * stop here rather than run off into whatever follows. */
    .type arch_task_trampoline, %function
    .thumb_func
arch_task_trampoline:
    mov  r0, r5
    blx  r4
1:  bkpt #0
    b    1b
    .size arch_task_trampoline, . - arch_task_trampoline

    .ltorg
