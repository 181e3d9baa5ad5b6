/*
 * asyncio_yield for the RP2040 (Cortex-M0+, Thumb-1), bare metal and on
 * pico-sdk.
 *
 * Written here rather than in C because it runs at every yield and GCC
 * cannot compile it tightly for Thumb-1: it makes no tail calls, so a C
 * yield keeps a frame of its own around a call of arch_switch, and the
 * checks below need more registers than the four a leaf function may use
 * freely (in C: 148 cycles a yield, here 116, make bench-rp2040). Here the
 * checks run first in r0-r3, with nothing saved; the switch's frame is
 * pushed only once the yield commits.
 *
 * It is the common case of the C yield (task.c's asyncio_yield, on the
 * other ports): a running task with no cancellation and no timeout scope,
 * whose stack's canary is intact, that needs no slow step reported, and,
 * at the end of a pass, no timer pending. Anything else goes on to the
 * core's task_yield_general with nothing changed (it reports the overflow,
 * the slow step, the interruption). Then, as in C:
 *   - the task joins the ready queue (its state stays READY);
 *   - a watched loop counts the step;
 *   - at the end of a pass, unless the loop must return or a wake is
 *     pending, the next pass begins here: the ready queue becomes the pass;
 *   - the pass's next item, if it is a task, runs next; else the loop does
 *     (loop->current = NULL, its own context).
 * The switch is arch_switch's (src/arch/armv6m.S), with the same frame, so
 * either one resumes the other's; arch_switch returns 0 in r0, which is
 * what the yield returns.
 */
#include "yield_armv6m.h"

    .syntax unified
    .cpu cortex-m0plus
    .thumb
    .section .text.asyncio_yield, "ax", %progbits

    .global asyncio_yield
    .type asyncio_yield, %function
    .thumb_func
asyncio_yield:
#if YIELD_CPUID_REG
    ldr  r0, =YIELD_CPUID_REG         /* loop_running_on[this CPU] */
    ldr  r0, [r0]
    lsls r0, r0, #2
    ldr  r3, =loop_running_on
    ldr  r3, [r3, r0]
#else
    ldr  r3, =loop_running_on         /* one CPU: its slot is the first */
    ldr  r3, [r3]
#endif
    cmp  r3, #0
    beq  .Lgeneral                    /* no loop: -EPERM */
    ldr  r2, [r3, #YIELD_LOOP_CURRENT]
    cmp  r2, #0
    beq  .Lgeneral                    /* not in a task: -EPERM */
    ldrb r0, [r2, #YIELD_RUN_FLAGS]
    lsls r0, r0, #(31 - YIELD_TASK_CANCEL_BIT)
    bmi  .Lgeneral                    /* cancelled: -ECANCELED */
    ldr  r0, [r3, #YIELD_LOOP_SCOPE]
    cmp  r0, #0
    bne  .Lgeneral                    /* scopes to check and keep */
    ldr  r0, [r2, #YIELD_TASK_STACK]
    ldr  r0, [r0, #YIELD_STACK_BASE]
    ldr  r0, [r0, #4]                 /* the canary word right below the stack */
    ldr  r1, =YIELD_STACK_CANARY
    cmp  r0, r1
    bne  .Lgeneral                    /* overflowed: reported there */
    ldr  r1, [r3, #YIELD_LOOP_PASS_HEAD]
    cmp  r1, #0
    beq  .Lpass_over_check
.Lwatch_check:
    ldr  r0, [r3, #YIELD_LOOP_WATCH_REPORT]
    cmp  r0, #0
    bne  .Lwatched

.Lcommit: /* r3 loop, r2 the task, r1 the pass's next item or NULL */
    movs r0, #0
    str  r0, [r2, #YIELD_RUN_NEXT]    /* to the ready queue's end */
    ldr  r0, [r3, #YIELD_LOOP_READY_LINK]
    str  r2, [r0]
    str  r2, [r3, #YIELD_LOOP_READY_LINK] /* &task->run.next: it is the task's address */
    cmp  r1, #0
    beq  .Lpass_over
.Lpick: /* r1: the pass's next item */
    ldrb r0, [r1, #YIELD_RUN_KIND]
    cmp  r0, #YIELD_RUNNABLE_TASK
    bne  .Lto_loop                    /* a callback: the loop runs it */
    ldr  r0, [r1, #YIELD_RUN_NEXT]
    str  r0, [r3, #YIELD_LOOP_PASS_HEAD]
    str  r1, [r3, #YIELD_LOOP_CURRENT]
    adds r1, #YIELD_TASK_CTX

.Lswitch: /* r2 the task, r1 the context to resume: arch_switch's frame */
    push {r4-r7, lr}
    mov  r4, r8
    mov  r5, r9
    mov  r6, r10
    mov  r7, r11
    push {r4-r7}
    mov  r0, sp
    str  r0, [r2, #YIELD_TASK_CTX]
    ldr  r0, [r1]
    mov  sp, r0
    pop  {r4-r7}
    mov  r8, r4
    mov  r9, r5
    mov  r10, r6
    mov  r11, r7
    movs r0, #0
    pop  {r4-r7, pc}

/* Out of the common path's way: */
.Lpass_over_check:
    ldr  r0, [r3, #YIELD_LOOP_TIMERS_LEN]
    cmp  r0, #0
    beq  .Lwatch_check
    b    .Lgeneral                    /* end of a pass with timers: one may be due */
.Lwatched:
    ldr  r0, [r3, #YIELD_LOOP_WATCH_SLOW]
    cmp  r0, #0
    bne  .Lgeneral                    /* a slow step to report */
    ldr  r0, [r3, #YIELD_LOOP_WATCH_STEPS]
    adds r0, #1                       /* the step ends */
    str  r0, [r3, #YIELD_LOOP_WATCH_STEPS]
    b    .Lcommit
.Lpass_over: /* the next pass begins here unless the loop has work */
    ldr  r0, [r3, #YIELD_LOOP_MUST_RETURN]
    cmp  r0, #0
    bne  .Lto_loop
    ldr  r0, [r3, #YIELD_LOOP_PORT]
    ldr  r0, [r0, #YIELD_PORT_WAKE]
    cmp  r0, #0
    bne  .Lto_loop                    /* the loop polls first */
    ldr  r1, [r3, #YIELD_LOOP_READY_HEAD]
    str  r1, [r3, #YIELD_LOOP_PASS_HEAD]
    str  r0, [r3, #YIELD_LOOP_READY_HEAD] /* r0 = 0: the pass has it all */
    str  r3, [r3, #YIELD_LOOP_READY_LINK] /* &loop->ready_head: the loop's address */
    b    .Lpick
.Lto_loop:
    movs r0, #0
    str  r0, [r3, #YIELD_LOOP_CURRENT]
    movs r1, r3
    adds r1, #YIELD_LOOP_CTX
    b    .Lswitch
.Lgeneral:
    ldr  r3, =task_yield_general      /* lr is the caller's: it returns there */
    bx   r3
    .size asyncio_yield, . - asyncio_yield
    .ltorg
