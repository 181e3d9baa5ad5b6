/*
 * What yield_armv6m.S assumes of the core's records and of the RP2040 ports
 * (bare metal, and pico-sdk on an RP2040), as plain numbers an assembler
 * can read. Those ports' port_inline.h include this file, and the core
 * checks each number against its own definitions (task.c, under
 * PORT_ASM_YIELD), so that a change of layout fails the build instead of
 * the yield.
 */
#ifndef CASYNCIO_YIELD_ARMV6M_H
#define CASYNCIO_YIELD_ARMV6M_H

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

/* The ports: struct port_stack starts with base, the canary words are
 * base[0] and base[1] (port_stack.c), and struct port_loop starts with a
 * word that, whenever a task runs, is not 0 exactly when port_poll_needed()
 * is true (each port_time.c checks it). */
#define YIELD_STACK_BASE   0
#define YIELD_STACK_CANARY 0xdeadc0de
#define YIELD_PORT_WAKE    0

/* Where a port runs a loop on each of several CPUs (pico-sdk: PORT_CPUS 2),
 * its build defines this as the address of the register that reads the
 * running CPU's number (the SIO's CPUID), which indexes loop_running_on;
 * 0: one CPU. */
#if !defined(YIELD_CPUID_REG)
#define YIELD_CPUID_REG 0
#endif

#endif
