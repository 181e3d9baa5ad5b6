/*
 * Context switch for AArch64 (AAPCS64).
 *
 * Callee-saved: x19-x28, the frame pointer x29, the link register x30, and
 * the low halves of v8-v15 (d8-d15). Twelve general and eight FP registers,
 * 160 bytes, keeping sp 16-byte aligned as the ABI demands.
 */
    .text

/* void arch_switch(arch_context_t *from [x0], arch_context_t *to [x1]) */
    .globl arch_switch
    .type arch_switch, %function
    .p2align 4
arch_switch:
    sub sp, sp, #160
    stp x19, x20, [sp, #0]
    stp x21, x22, [sp, #16]
    stp x23, x24, [sp, #32]
    stp x25, x26, [sp, #48]
    stp x27, x28, [sp, #64]
    stp x29, x30, [sp, #80]
    stp d8, d9, [sp, #96]
    stp d10, d11, [sp, #112]
    stp d12, d13, [sp, #128]
    stp d14, d15, [sp, #144]
    mov x2, sp
    str x2, [x0]
    ldr x2, [x1]
    mov sp, x2
    ldp x19, x20, [sp, #0]
    ldp x21, x22, [sp, #16]
    ldp x23, x24, [sp, #32]
    ldp x25, x26, [sp, #48]
    ldp x27, x28, [sp, #64]
    ldp x29, x30, [sp, #80]
    ldp d8, d9, [sp, #96]
    ldp d10, d11, [sp, #112]
    ldp d12, d13, [sp, #128]
    ldp d14, d15, [sp, #144]
    add sp, sp, #160
    ret
    .size arch_switch, . - arch_switch

/* void arch_context_make(arch_context_t *ctx [x0], void *stack_lo [x1],
 *                        size_t size [x2], arch_entry_fn entry [x3],
 *                        void *arg [x4])
 * A zeroed 160-byte frame whose x30 returns into task_start with x19 = arg
 * and x20 = entry. */
    .globl arch_context_make
    .type arch_context_make, %function
    .p2align 4
arch_context_make:
    add x5, x1, x2
    and x5, x5, #~15
    sub x5, x5, #160
    mov x6, #0
1:  str xzr, [x5, x6]
    add x6, x6, #8
    cmp x6, #160
    b.lo 1b
    str x4, [x5, #0]                /* x19 = arg */
    str x3, [x5, #8]                /* x20 = entry */
    adr x6, task_start
    str x6, [x5, #88]               /* x30 */
    str x5, [x0]
    ret
    .size arch_context_make, . - arch_context_make

    .type task_start, %function
task_start:
    mov x0, x19
    blr x20
    brk #0                          /* entry never returns */
    .size task_start, . - task_start

    .section .note.GNU-stack, "", %progbits
