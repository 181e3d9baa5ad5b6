/*
 * The event loop: one ready queue, one timer heap, and the port's poller.
 *
 * One pass of the loop (loop_run_once, on the loop's own stack):
 *   1. wait_for_work: ask the port for I/O and wake-ups, without blocking
 *      when something is ready, else until the next deadline (virtual time:
 *      jump to it instead, virtual_wait); then run what the wake-ups
 *      announced (dispatch_wakeups: tasks handed over by interrupt
 *      handlers, deferred records of drivers and flags,
 *      call_soon_threadsafe's ring), which makes their tasks ready;
 *   2. fire_due_timers: move every due timer's owner to the ready queue, in
 *      deadline order;
 *   3. run_ready: run the items that were ready when the pass began: the
 *      pass takes the whole ready queue (pass_head), so items made ready
 *      during the pass queue for the next one, the poller is consulted at
 *      least once per pass and a task that only yields cannot starve I/O.
 *
 * Step 3 rarely comes back to this stack between tasks: a task that
 * suspends (task_switch_out, task.c) switches straight to the next task of
 * the pass, and the loop's stack runs only callbacks, the end of a pass and
 * whatever else needs it. At the end of a pass, task_switch_out asks
 * loop_next_pass_inline() whether the next pass can start right there, on
 * the suspending task's stack: when there is nothing to poll (no fd, no
 * wake-up pending), no timer due and no reason to stop, steps 1 and 2 would
 * do nothing, so the pass begins (it takes the ready queue) and
 * the task switches straight to the first task of it. Otherwise the task
 * switches to the loop's stack, run_ready returns, and loop_run_once starts
 * the next pass with step 1. So two tasks that yield to each other switch
 * once per yield, and a pass through the loop's stack costs two switches
 * more.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Per thread and CPU: each runs its own loop and has its own default loop. */
PORT_THREAD_LOCAL asyncio_loop_t *loop_running_on[PORT_CPUS];
static PORT_THREAD_LOCAL asyncio_loop_t *default_loop[PORT_CPUS];

NOINLINE asyncio_loop_t *loop_default(void) {
    unsigned cpu = port_cpu();
    if (loop_running_on[cpu]) return loop_running_on[cpu];
    if (!default_loop[cpu]) default_loop[cpu] = asyncio_new_event_loop();
    return default_loop[cpu];
}

asyncio_loop_t *asyncio_get_event_loop(void) { return loop_default(); }

void asyncio_set_event_loop(asyncio_loop_t *loop) { default_loop[port_cpu()] = loop; }

void loop_forget(asyncio_loop_t *loop) {
    for (unsigned cpu = 0; cpu < PORT_CPUS; cpu++)
        if (default_loop[cpu] == loop) default_loop[cpu] = NULL;
}

uint64_t loop_now(asyncio_loop_t *loop) {
    return loop_virtual_time(loop) ? loop->virtual_us : port_now_us() - loop->epoch_us;
}

uint64_t loop_deadline_after(asyncio_loop_t *loop, uint64_t us) {
    uint64_t now = loop_now(loop);
    return us > NO_DEADLINE - 1 - now ? NO_DEADLINE - 1 : now + us;
}

uint64_t asyncio_loop_time_us(asyncio_loop_t *loop) { return loop ? loop_now(loop) : 0; }

uint64_t asyncio_ticks_us(void) {
    asyncio_loop_t *loop = loop_default();
    return loop ? loop_now(loop) : 0;
}

uint32_t asyncio_ticks_ms(void) { return (uint32_t)(asyncio_ticks_us() / 1000u); }

/* A loop the program does not configure (no options) follows the
 * environment: ASYNCIO_VIRTUAL_TIME=1 gives it virtual time. */
static bool env_asks_virtual_time(void) {
    const char *v = port_getenv("ASYNCIO_VIRTUAL_TIME");
    return v && v[0] == '1';
}

static int virtual_wait(asyncio_loop_t *loop);

/* A new loop on real time, its clock at 0 now; NULL with errno ENOMEM. */
static asyncio_loop_t *loop_new(void) {
    asyncio_loop_t *loop = PORT_MALLOC(sizeof *loop); /* not calloc: firmware links no calloc */
    if (!loop) goto out_of_memory;
    memset(loop, 0, sizeof *loop);
    loop_ready_clear(loop);
    loop->port = port_loop_open(loop);
    if (!loop->port) {
        PORT_FREE(loop);
        goto out_of_memory;
    }
    loop->epoch_us = port_now_us();
    atomic_init(&loop->watch.steps, 1);
    if (PORT_SLOW_TASK_MS) watch_set_threshold(loop, PORT_SLOW_TASK_MS * 1000u);
    return loop;
out_of_memory:
    errno = ENOMEM;
    return NULL;
}

/* A new loop (possibly NULL) put on virtual time before anything runs on
 * it. Reached only from a call that asks for virtual time, so that a
 * program that never does links no virtual_wait (on a board, whose
 * environment is an inline NULL, asyncio_new_event_loop() never does). */
static asyncio_loop_t *loop_on_virtual_time(asyncio_loop_t *loop) {
    if (loop) {
        loop->virtual_wait = virtual_wait;
        loop->virtual_us = 0;
    }
    return loop;
}

asyncio_loop_t *asyncio_new_event_loop_ex(const asyncio_loop_opts_t *opts) {
    if (!opts) return asyncio_new_event_loop();
    asyncio_loop_t *loop = loop_new();
    return opts->virtual_time ? loop_on_virtual_time(loop) : loop;
}

asyncio_loop_t *asyncio_new_event_loop(void) {
    asyncio_loop_t *loop = loop_new();
    return env_asks_virtual_time() ? loop_on_virtual_time(loop) : loop;
}

/* ---- one pass ------------------------------------------------------------------ */

static void fire_due_timers(asyncio_loop_t *loop) {
    if (!loop->timers.len) return;
    uint64_t now = loop_now(loop);
    struct timer *t;
    while ((t = timer_heap_pop_due(&loop->timers, now)) != NULL) t->fire(loop, t);
}

/* What port_poll() may have announced: deferred work signalled (drivers'
 * records, and flag.c's for flags set), threadsafe calls queued. The hooks
 * are set by driver_deferred_add() and asyncio_loop_call_soon_threadsafe()
 * on first use, so firmware that uses neither links neither. */
static void dispatch_wakeups(asyncio_loop_t *loop) {
    /* The hook only when it has something to look at: a hand-over on the
     * list, or records (one that a handler made ready during a quiet poll
     * is ready already). relaxed: only whether to look. */
    if (atomic_load_explicit(&loop->isr_woken, memory_order_relaxed) || loop->deferred)
        loop->run_deferred(loop);
    /* relaxed: the hook only says whether to look; the ring itself is read
     * under the port's critical section */
    loop_hook_fn drain = atomic_load_explicit(&loop->drain_threadsafe, memory_order_relaxed);
    if (drain) drain(loop);
}

/* Asks the port for I/O until `deadline` (0: without blocking), then runs
 * what it announced. */
static void poll_and_dispatch(asyncio_loop_t *loop, uint64_t deadline) {
    port_poll(loop->port, deadline);
    dispatch_wakeups(loop);
}

/* Step 1 of a pass with virtual time and nothing ready: the clock jumps to
 * the next deadline instead of blocking. Returns -EDEADLK when nothing could
 * ever make a task ready again. (Polling and dispatching wake tasks, which
 * changes the timer heap: its head is read afterwards.) Reached through the
 * loop's hook, set at creation: firmware on real time does not link it. */
static int virtual_wait(asyncio_loop_t *loop) {
    poll_and_dispatch(loop, 0);
    if (loop->ready_head) return 0;
    const struct timer_entry *next = timer_heap_peek(&loop->timers);
    if (next && next->deadline > loop->virtual_us) {
        loop->virtual_us = next->deadline;
    } else if (!next && loop->external_waiters) {
        poll_and_dispatch(loop, PORT_FOREVER);
    } else if (!next) {
        return -EDEADLK;
    }
    return 0;
}

/* Step 1 of a pass: with something ready, look for I/O without blocking
 * (only if the port has anything to look at: what a wake-up announces comes
 * with a wake-up); else wait until the next deadline, or with virtual time
 * jump to it (virtual_wait). */
static int wait_for_work(asyncio_loop_t *loop) {
    uint64_t deadline = 0;
    if (loop->ready_head) {
        if (!port_poll_needed(loop->port)) return 0;
    } else if (loop->virtual_wait) {
        return loop->virtual_wait(loop); /* virtual_wait() */
    } else {
        const struct timer_entry *next = timer_heap_peek(&loop->timers);
        deadline = next ? loop->epoch_us + next->deadline : PORT_FOREVER;
    }
    poll_and_dispatch(loop, deadline);
    return 0;
}

/* Timers during a long pass. A pass runs the items that were ready when it
 * began, in FIFO order, in stretches of PORT_PASS_STRETCH items; after each
 * stretch the loop looks at the clock, and when timers are due it fires them
 * (in deadline order, at most PORT_PASS_STRETCH of them) and the items they
 * made ready run next, ahead of the rest of the pass, which then goes on.
 * Nothing else changes place: a task made ready any other way (a yield or
 * sleep(0), create_task, an event, I/O) waits for the next pass, behind
 * everything queued before it. So a timer that falls due while 100,000 new
 * tasks start waits for a stretch, not the whole pass; and a pass still
 * ends, as each look adds at most PORT_PASS_STRETCH timers' items and is
 * followed by PORT_PASS_STRETCH items of the pass (or its end). A look costs
 * a clock read and a walk along the next stretch of the queue, both skipped
 * while no timer is pending (a pass of tasks that only yield pays nothing);
 * with PORT_PASS_STRETCH 0 (the RP2040's, where passes are short) a pass
 * runs whole and none of this is compiled in. */

HOT_INLINE bool timer_due(asyncio_loop_t *loop) {
    const struct timer_entry *next = timer_heap_peek(&loop->timers);
    return next && next->deadline <= loop_now(loop);
}

/* The next stretch of the pass (pass_head is not NULL): it ends n items on
 * from pass_head, or at the pass's last item if that comes first. With no
 * timer pending there is nothing to look for, and it runs to the end of the
 * pass without the walk, until a timer is set (loop_timer_set). */
HOT_INLINE void stretch_begin(asyncio_loop_t *loop, uint32_t n) {
    struct runnable *last = loop->pass_end;
    if (loop->timers.len) {
        last = loop->pass_head;
        while (last != loop->pass_end && --n) last = last->next;
    }
    loop->stretch_last = last;
}

void loop_timer_set(struct timer_heap *h) {
    asyncio_loop_t *loop = (asyncio_loop_t *)(void *)((char *)h - offsetof(asyncio_loop_t, timers));
    /* a stretch begun with no timer pending ends at the next item instead */
    if (loop->stretch_last && loop->stretch_last == loop->pass_end && loop->pass_head)
        loop->stretch_last = loop->pass_head;
}

/* A pass: the items ready now (the queue must not be empty), taken off the
 * queue whole. */
HOT_INLINE void pass_begin(asyncio_loop_t *loop) {
    struct runnable *last = loop_ready_last(loop);
    loop->pass_head = loop->ready_head;
    loop_ready_clear(loop); /* the pass's last item keeps its NULL link */
    if (!PORT_PASS_STRETCH) return;
    loop->pass_end = last;
    stretch_begin(loop, PORT_PASS_STRETCH);
}

/* Between two stretches of a pass, on the loop's stack: fires the timers due
 * (at most PORT_PASS_STRETCH) and moves the items they made ready from the
 * queue to the head of the pass, ahead of its rest. Returns how many items
 * moved. */
static uint32_t serve_due_timers(asyncio_loop_t *loop) {
    struct runnable *before = loop->ready_head ? loop_ready_last(loop) : NULL;
    uint64_t now = loop_now(loop);
    struct timer *t;
    for (uint32_t left = PORT_PASS_STRETCH; left > 0; left--) {
        if ((t = timer_heap_pop_due(&loop->timers, now)) == NULL) break;
        t->fire(loop, t);
    }
    struct runnable *first = before ? before->next : loop->ready_head;
    if (!first) return 0;
    struct runnable *last = loop_ready_last(loop);
    uint32_t moved = 1;
    for (struct runnable *r = first; r != last; r = r->next) moved++;
    if (before) {
        before->next = NULL;
        loop->ready_link = &before->next;
    } else {
        loop_ready_clear(loop);
    }
    last->next = loop->pass_head;
    loop->pass_head = first;
    return moved;
}

/* On a task's stack, when a stretch is over but not the pass
 * (loop_pass_begin_inline): unless timers are due, the next stretch begins
 * right there. */
bool loop_stretch_next(asyncio_loop_t *loop) {
    if (timer_due(loop)) return false;
    stretch_begin(loop, PORT_PASS_STRETCH);
    return true;
}

/* loop_pass_begin_inline's start of a pass in stretches. */
void loop_pass_begin_stretched(asyncio_loop_t *loop) { pass_begin(loop); }

NOINLINE bool loop_timer_due(asyncio_loop_t *loop) {
    return loop->timers.entries[0].deadline <= loop_now(loop);
}

/* task_switch_out's way to loop_pass_begin_inline (internal.h), one copy
 * (the yield has its own, for when no timer is pending). */
bool loop_next_pass_inline(asyncio_loop_t *loop) { return loop_pass_begin_inline(loop); }

/* A failed detached task, queued when it ended: the exception handler runs
 * here, on the loop's stack, where no task is current. */
NOINLINE static void report_ended_task(asyncio_loop_t *loop, asyncio_task_t *t) {
    loop_report_failure(loop, t);
    task_free(t);
}

/* Step 3 of a pass, a stretch at a time. Tasks hand over to each other
 * directly (one switch per yield); the loop's stack only runs callbacks and
 * whatever needs it. */
static void run_ready(asyncio_loop_t *loop) {
    struct runnable *r = loop->ready_head; /* the pass's next item, kept at hand */
    if (!r) return;
    pass_begin(loop);
    do {
        if (PORT_PASS_STRETCH && !loop->stretch_last) {
            uint32_t moved = serve_due_timers(loop);
            stretch_begin(loop, PORT_PASS_STRETCH + moved);
            r = loop->pass_head; /* the items of due timers go first */
        }
        loop_pass_take(loop, r);
        if (r->kind == RUNNABLE_TASK)
            task_run(loop, (asyncio_task_t *)(void *)r);
        else if (r->kind == RUNNABLE_CALLBACK)
            loop->run_callback(loop, r);
        else
            report_ended_task(loop, (asyncio_task_t *)(void *)r);
        r = loop->pass_head;
    } while (r);
}

int loop_run_once(asyncio_loop_t *loop) {
    int err = wait_for_work(loop);
    if (err) return err;
    fire_due_timers(loop);
    run_ready(loop);
    return 0;
}

/* ---- running and stopping -------------------------------------------------------- */

bool loop_enter(asyncio_loop_t *loop) {
    if (!loop || loop->closed || loop_running()) return false;
    loop_running_on[port_cpu()] = loop;
    if (loop->watch_running) loop->watch_running(loop, true);
    return true;
}

void loop_leave(asyncio_loop_t *loop) {
    if (loop->watch_running) loop->watch_running(loop, false);
    loop->stopping = false;
    loop_running_on[port_cpu()] = NULL;
}

void asyncio_loop_run_forever(asyncio_loop_t *loop) {
    if (!loop_enter(loop)) return;
    while (!loop->stopping)
        if (loop_run_once(loop) == -EDEADLK) port_poll(loop->port, PORT_FOREVER);
    loop_leave(loop);
}

int asyncio_loop_run_until_complete(asyncio_loop_t *loop, asyncio_task_t *task) {
    if (loop_running()) return -EPERM;
    if (!loop || loop->closed || !task || task->loop != loop ||
        (task->run.flags & (TASK_DETACHED | TASK_IN_JOIN)))
        return -EINVAL;
    loop_enter(loop);
    loop->until = task;
    task->run.flags |= TASK_IN_JOIN; /* taken over: no other call may consume it now */
    int result = 0;
    while (task->run.state != TASK_DONE) {
        if (loop->stopping) {
            result = -EINTR;
            break;
        }
        if (loop_run_once(loop) == -EDEADLK) {
            result = -EDEADLK;
            break;
        }
    }
    loop->until = NULL;
    loop->until_ended = false;
    loop_leave(loop);
    if (task->run.state != TASK_DONE) {
        task->run.flags &= (uint8_t)~TASK_IN_JOIN; /* given back, joinable again */
        return result;
    }
    result = task->result;
    task_free(task);
    return result;
}

void asyncio_loop_stop(asyncio_loop_t *loop) {
    if (!loop || loop->closed) return;
    loop->stopping = true;
    port_wake(loop->port);
}

/* ---- callbacks --------------------------------------------------------------------- */

void loop_callback_fired(asyncio_loop_t *loop, struct timer *t) {
    struct callback *cb = (struct callback *)(void *)((char *)t - offsetof(struct callback, timer));
    timer_heap_unclaim(&loop->timers);
    loop_make_ready(loop, &cb->run);
}

/* The loop's hook for the callbacks in its ready queue (set with the
 * first one, so that a program without callbacks does not link it). */
static void run_callback(asyncio_loop_t *loop, struct runnable *r) {
    struct callback *cb = (struct callback *)(void *)r;
    void (*fn)(void *) = cb->fn;
    void *arg = cb->arg;
    PORT_FREE(cb);
    watch_step_end(loop, NULL);
    fn(arg);
}

static struct callback *callback_new(asyncio_loop_t *loop, void (*fn)(void *), void *arg) {
    struct callback *cb = PORT_MALLOC(sizeof *cb); /* run.next is set when it is queued */
    if (!cb) return NULL;
    loop->run_callback = run_callback;
    cb->run.kind = RUNNABLE_CALLBACK;
    cb->timer.slot = TIMER_NOT_QUEUED;
    cb->timer.fire = loop_callback_fired;
    cb->fn = fn;
    cb->arg = arg;
    return cb;
}

int asyncio_loop_call_soon(asyncio_loop_t *loop, void (*fn)(void *), void *arg) {
    if (!loop || !fn || loop->closed) return -EINVAL;
    struct callback *cb = callback_new(loop, fn, arg);
    if (!cb) return -ENOMEM;
    loop_make_ready(loop, &cb->run);
    return 0;
}

int asyncio_loop_call_later_ms(asyncio_loop_t *loop, uint32_t ms, void (*fn)(void *), void *arg) {
    if (!loop || !fn || loop->closed) return -EINVAL;
    struct callback *cb = callback_new(loop, fn, arg);
    if (!cb) return -ENOMEM;
    if (timer_heap_claim(&loop->timers) != 0) {
        PORT_FREE(cb);
        return -ENOMEM;
    }
    timer_heap_push(&loop->timers, &cb->timer, loop_deadline_after(loop, us_from_ms(ms)));
    return 0;
}
