/*
 * Context switch for x86_64, System V ABI.
 *
 * The callee-saved registers are rbx, rbp and r12-r15; everything else is
 * the caller's to save, so a switch that is a function call only pushes six
 * registers. (The MXCSR and x87 control words are callee-saved too, but no
 * task changes them here: they are shared, which saves two instructions.)
 */
    .text

/* void arch_switch(arch_context_t *from [rdi], arch_context_t *to [rsi]) */
    .globl arch_switch
    .type arch_switch, @function
    .p2align 4
arch_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq (%rsi), %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size arch_switch, . - arch_switch

/* void arch_context_make(arch_context_t *ctx [rdi], void *stack_lo [rsi],
 *                        size_t size [rdx], arch_entry_fn entry [rcx],
 *                        void *arg [r8])
 * Builds the frame arch_switch pops: six registers and a return address
 * that lands in task_start with r12 = arg, r13 = entry and rsp 16-aligned. */
    .globl arch_context_make
    .type arch_context_make, @function
    .p2align 4
arch_context_make:
    leaq (%rsi, %rdx), %rax
    andq $-16, %rax
    subq $16, %rax                  /* rsp once the return address is popped */
    leaq task_start(%rip), %r9
    movq %r9, -8(%rax)              /* return address */
    movq $0, -16(%rax)              /* rbp: ends frame-pointer walks */
    movq $0, -24(%rax)              /* rbx */
    movq %r8, -32(%rax)             /* r12 = arg */
    movq %rcx, -40(%rax)            /* r13 = entry */
    movq $0, -48(%rax)              /* r14 */
    movq $0, -56(%rax)              /* r15 */
    subq $56, %rax
    movq %rax, (%rdi)
    ret
    .size arch_context_make, . - arch_context_make

    .type task_start, @function
task_start:
    movq %r12, %rdi
    callq *%r13
    ud2                             /* entry never returns */
    .size task_start, . - task_start

    .section .note.GNU-stack, "", @progbits
