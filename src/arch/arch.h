/*
 * The context switch: the only code that knows a CPU's registers.
 *
 * A context is the stack pointer of a suspended flow of control. Switching
 * pushes the callee-saved registers of the ABI on the current stack, stores
 * the stack pointer in `from`, loads the one in `to` and pops its registers:
 * a plain function call, as cheap as the ABI allows.
 *
 * One implementation is linked per build: x86_64.S, aarch64.S, armv6m.S, or
 * ucontext.c (POSIX fallback, CMake option CASYNCIO_UCONTEXT).
 */
#ifndef CASYNCIO_ARCH_H
#define CASYNCIO_ARCH_H

#include <stdbool.h>
#include <stddef.h>

typedef struct arch_context {
    void *sp;
} arch_context_t;

typedef void (*arch_entry_fn)(void *arg);

/* Prepares `ctx` so that the first arch_switch() to it calls entry(arg) on the
 * stack [stack_lo, stack_lo + size), with the alignment the ABI requires at a
 * call. entry must never return. */
void arch_context_make(arch_context_t *ctx, void *stack_lo, size_t size, arch_entry_fn entry,
                       void *arg);

/* Saves the running context in `from` and resumes `to`. Returns when something
 * switches back to `from`. armv6m.S's also leaves 0 in r0 for the context it
 * resumes: a port's asyncio_yield in assembly (src/port/cortex-m/yield_armv6m.S),
 * which saves the same frame, returns that when resumed. */
void arch_switch(arch_context_t *from, arch_context_t *to);

/* Whether a suspended context is wholly in the bytes from its saved stack
 * pointer up to the top of its stack, so that they can be copied away and
 * back to the same addresses (shared-stack tasks, core/task_shared.c). The
 * assembly switches make it so; core/task_shared.c defines it true (a weak
 * definition), and the ucontext fallback defines it false. */
extern const bool arch_stack_copyable;

#endif
