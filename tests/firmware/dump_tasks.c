/*
 * asyncio_dump_tasks on the board, through newlib-nano's printf (check.mjs
 * dump judges the lines): a sleeping task with its wake time, a task waiting
 * on an event (no wake time), the running one, each with its stack size and
 * use, and the loop's time. The firmware then exits. It is linked with
 * -u _printf_float, as README says a firmware that prints %f must be, and
 * prints one float to show that this works.
 */
#include <stdio.h>
#include <stdlib.h>

#include "asyncio.h"

static asyncio_event_t never;

static int sleeper(void *arg) {
    (void)arg;
    return asyncio_sleep_ms(5000);
}

static int event_waiter(void *arg) {
    (void)arg;
    return asyncio_event_wait(&never);
}

static int dumper(void *arg) {
    (void)arg;
    asyncio_sleep_ms(1); /* the others are waiting now */
    printf("dump at %lu ms\n", (unsigned long)(asyncio_ticks_us() / 1000u));
    asyncio_dump_tasks(stdout);
    printf("dump end\n");
    printf("float: %.2f\n", 2.5);
    exit(0);
}

int main(void) {
    asyncio_event_init(&never);
    asyncio_task_opts_t sleeping = {.name = "sleeper", .stack_size = 1024};
    asyncio_task_opts_t waiting = {.name = "event-waiter", .stack_size = 768};
    asyncio_task_opts_t dumping = {.name = "dumper", .stack_size = 4096}; /* printf's frames */
    asyncio_task_detach(asyncio_create_task_ex(sleeper, NULL, &sleeping));
    asyncio_task_detach(asyncio_create_task_ex(event_waiter, NULL, &waiting));
    asyncio_task_detach(asyncio_create_task_ex(dumper, NULL, &dumping));
    asyncio_loop_run_forever(asyncio_get_event_loop());
    return 1;
}
