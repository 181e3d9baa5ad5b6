/*
 * What yield.S assumes of the core's records and of this port, as plain
 * numbers an assembler can read. The core checks each one against its
 * definitions (task.c, under PORT_ASM_YIELD), so that a change of layout
 * fails the build instead of the yield.
 */
#ifndef CASYNCIO_RP2040_YIELD_LAYOUT_H
#define CASYNCIO_RP2040_YIELD_LAYOUT_H

/* struct asyncio_loop */
#define YIELD_LOOP_READY_HEAD   0
#define YIELD_LOOP_READY_LINK   4
#define YIELD_LOOP_PASS_HEAD    8
#define YIELD_LOOP_MUST_RETURN  12
#define YIELD_LOOP_CURRENT      16
#define YIELD_LOOP_SCOPE        24
#define YIELD_LOOP_WATCH_STEPS  32
#define YIELD_LOOP_WATCH_SLOW   36
#define YIELD_LOOP_WATCH_REPORT 48
#define YIELD_LOOP_TIMERS_LEN   60
#define YIELD_LOOP_CTX          88
#define YIELD_LOOP_PORT         108

/* struct asyncio_task (its struct runnable first) */
#define YIELD_RUN_NEXT      0
#define YIELD_RUN_KIND      4
#define YIELD_RUN_FLAGS     6
#define YIELD_RUNNABLE_TASK 1 /* enum runnable_kind */
#define YIELD_TASK_CANCEL_BIT 0 /* enum task_flag: TASK_CANCEL_REQUESTED */
#define YIELD_TASK_CTX      8
#define YIELD_TASK_STACK    28

/* This port: struct port_stack starts with base, the canary words are
 * base[0] and base[1], and struct port_loop starts with the wake-pending word that
 * port_poll_needed() tests (port_time.c checks that one). */
#define YIELD_STACK_BASE   0
#define YIELD_STACK_CANARY 0xdeadc0de
#define YIELD_PORT_WAKE    0

#endif
