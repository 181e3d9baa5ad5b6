/*
 * lwIP driven by the loop: its clock, its timers and its input.
 *
 * The service is one task on the loop that uses lwIP. Each round it runs
 * every input source (frames received by an interface are handed to lwIP
 * there, and lwIP's callbacks wake the tasks they concern), runs lwIP's due
 * timers (sys_check_timeouts), and sleeps until the next timer or until an
 * input source or a task that called lwIP wakes it (lwip_service_wake,
 * lwip_service_poke). Its wait counts as external, like a task's on a
 * socket; with virtual time the loop jumps to lwIP's next timer when
 * nothing else is due, so retransmission and TIME_WAIT timers run at once.
 *
 * lwip_service_now_ms() is the loop's clock in milliseconds, for lwIP's
 * sys_now() where the program does not bring its own (host/lwip_host.c). lwIP's
 * state is global and outlives a loop (tests run one loop after another): a
 * new loop starts its clock at 0, so the clock is kept monotonic by an
 * offset taken when the service attaches to the new loop.
 */
#include <errno.h>

#include "lwip_internal.h"

#include "lwip/sys.h"
#include "lwip/timeouts.h"

static struct {
    asyncio_loop_t *loop;   /* the loop whose clock lwIP reads */
    asyncio_task_t *task;   /* the service task, NULL when none runs */
    bool sleeping;          /* task is in driver_wait, not yet woken */
    uint64_t wake_at;       /* its deadline then (DRIVER_NO_DEADLINE: none) */
    uint32_t clock_base_ms; /* sys_now() = base + loop time in ms */
    uint32_t last_ms;       /* sys_now()'s last answer */
    struct lwip_input *inputs;
} svc;

int asyncio_lwip_init(void) { return lwip_service_attach(); }

uint32_t lwip_service_now_ms(void) {
    if (svc.loop)
        svc.last_ms = svc.clock_base_ms + (uint32_t)(asyncio_loop_time_us(svc.loop) / 1000u);
    return svc.last_ms;
}

void lwip_service_add_input(struct lwip_input *in) {
    for (struct lwip_input *i = svc.inputs; i; i = i->next)
        if (i == in) return;
    in->next = svc.inputs;
    svc.inputs = in;
}

/* The loop time at which the service must run next: lwIP's next timer, or
 * sooner if an input source must be polled every so often. */
static uint64_t next_timer_at(void) {
    uint64_t now_us = asyncio_loop_time_us(svc.loop);
    uint64_t at = DRIVER_NO_DEADLINE;
    u32_t ms = sys_timeouts_sleeptime();
    if (ms != SYS_TIMEOUTS_SLEEPTIME_INFINITE) at = (now_us / 1000u + ms) * 1000u;
    for (struct lwip_input *in = svc.inputs; in; in = in->next)
        if (in->max_sleep_us && now_us + in->max_sleep_us < at) at = now_us + in->max_sleep_us;
    return at;
}

static bool run_inputs(void) {
    bool busy = false;
    for (struct lwip_input *in = svc.inputs; in; in = in->next) busy |= in->run(in);
    return busy;
}

/* One round delivers the input pending when it starts; while more keeps
 * coming the service yields between rounds, so the tasks it woke run
 * (and read, which reopens windows) before it goes on. */
static int service_main(void *arg) {
    (void)arg;
    asyncio_task_t *self = asyncio_current_task();
    int err = 0;
    while (err == 0) {
        bool busy = run_inputs();
        sys_check_timeouts();
        if (busy) {
            err = asyncio_yield();
            continue;
        }
        err = driver_wait_begin(&self);
        if (err) break;
        svc.wake_at = next_timer_at();
        svc.sleeping = true;
        err = driver_wait(self, NULL, svc.wake_at, NULL, NULL);
        svc.sleeping = false;
    }
    if (svc.task == self) {
        lwip_service_now_ms();
        svc.task = NULL;
        svc.loop = NULL; /* its loop is closing: lwIP's clock stands still until the next one */
    }
    return err == -ECANCELED ? 0 : err;
}

int lwip_service_attach(void) {
    lwip_stack_init();
    asyncio_loop_t *loop = asyncio_get_event_loop();
    if (!loop) return -ENOMEM;
    if (svc.task && svc.loop == loop) return 0;
    if (svc.loop != loop) { /* keep sys_now() monotonic across loops */
        svc.clock_base_ms = svc.last_ms - (uint32_t)(asyncio_loop_time_us(loop) / 1000u);
        svc.loop = loop;
    }
    asyncio_task_opts_t opts = {.name = "lwip", .stack_size = ASYNCIO_LWIP_SERVICE_STACK};
    asyncio_task_t *t = asyncio_create_task_ex(service_main, NULL, &opts);
    if (!t) return -ENOMEM;
    svc.task = t;
    svc.sleeping = false;
    asyncio_task_detach(t);
    for (struct lwip_input *in = svc.inputs; in; in = in->next)
        if (in->attach) in->attach(in, loop);
    return 0;
}

void lwip_service_wake(void) {
    if (!svc.sleeping) return;
    svc.sleeping = false;
    driver_wake(svc.task, 0);
}

void lwip_service_poke(void) {
    if (svc.sleeping && next_timer_at() < svc.wake_at) lwip_service_wake();
}

int lwip_errno(err_t err) {
    switch (err) {
    case ERR_OK:
        return 0;
    case ERR_MEM:
    case ERR_BUF:
        return -ENOMEM;
    case ERR_TIMEOUT:
        return -ETIMEDOUT;
    case ERR_RTE:
        return -ENETUNREACH;
    case ERR_INPROGRESS:
        return -EINPROGRESS;
    case ERR_VAL:
    case ERR_ARG:
        return -EINVAL;
    case ERR_WOULDBLOCK:
        return -EAGAIN;
    case ERR_USE:
        return -EADDRINUSE;
    case ERR_ALREADY:
        return -EALREADY;
    case ERR_ISCONN:
        return -EISCONN;
    case ERR_CONN:
        return -ENOTCONN;
    case ERR_IF:
        return -ENETDOWN;
    case ERR_ABRT:
        return -ECONNABORTED;
    case ERR_RST:
        return -ECONNRESET;
    case ERR_CLSD:
        return -EPIPE;
    default:
        return -EIO;
    }
}
