/*
 * Context switch through POSIX ucontext: slower (swapcontext saves the signal
 * mask with a system call) but needs no assembly. Selected with the CMake
 * option CASYNCIO_UCONTEXT; the test suite runs on it too.
 *
 * The ucontext_t of a suspended flow lives in the frame of its arch_switch
 * call, on its own stack, exactly where the assembly versions push their
 * registers. A new task's first ucontext_t sits at the top of its stack.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <ucontext.h>

#include "arch.h"

struct first_frame {
    ucontext_t uc;
    arch_entry_fn entry;
    void *arg;
};

static void task_start(unsigned hi, unsigned lo) {
    struct first_frame *f = (struct first_frame *)(((uintptr_t)hi << 32) | (uintptr_t)lo);
    f->entry(f->arg);
}

void arch_context_make(arch_context_t *ctx, void *stack_lo, size_t size, arch_entry_fn entry,
                       void *arg) {
    uintptr_t top = ((uintptr_t)stack_lo + size - sizeof(struct first_frame)) & ~(uintptr_t)15;
    struct first_frame *f = (struct first_frame *)top;
    getcontext(&f->uc);
    f->uc.uc_stack.ss_sp = stack_lo;
    f->uc.uc_stack.ss_size = top - (uintptr_t)stack_lo;
    f->uc.uc_link = NULL;
    f->entry = entry;
    f->arg = arg;
    uintptr_t p = (uintptr_t)f;
    makecontext(&f->uc, (void (*)(void))task_start, 2, (unsigned)(p >> 32), (unsigned)p);
    ctx->sp = &f->uc;
}

void arch_switch(arch_context_t *from, arch_context_t *to) {
    ucontext_t here;
    from->sp = &here;
    swapcontext(&here, (ucontext_t *)to->sp);
}

/* A suspended flow cannot be copied away and back (task_shared.c): its
 * ucontext_t sits in arch_switch's frame above bytes the compiler may also
 * use, and it holds pointers into itself. Shared-stack tasks are refused. */
const bool arch_stack_copyable = false;
