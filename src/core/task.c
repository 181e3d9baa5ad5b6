/*
 * Tasks: switching, waiting and waking, sleeping, cancellation.
 *
 * A task that suspends hands the CPU straight to the next ready task of the
 * current pass (one switch), and to the loop's own stack only when the loop
 * has something to do: poll, fire timers, run a callback, start a pass that
 * cannot begin inline (see loop_next_pass_inline).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

asyncio_task_t *asyncio_current_task(void) { return task_current(); }

/* ---- the switch ------------------------------------------------------------ */

/* An ended task that nobody will consume: freed now, or, when it failed,
 * queued for the loop, which calls the exception handler on its own stack,
 * outside any task, and then frees it (loop.c's run_ready). */
static void task_release_detached(asyncio_loop_t *loop, asyncio_task_t *t) {
    if (!task_failed(t)) {
        task_free(t);
        return;
    }
    t->run.kind = RUNNABLE_REPORT;
    loop_make_ready(loop, &t->run);
}

/* A task's stack can only be released once something else runs on another
 * stack: a task that ends leaves itself in loop->ended and switches to the
 * loop's stack, where task_resume() finishes it off. (Never straight to
 * another task: a task resumed from a yield returns to its caller at once,
 * without looking.) */
static void task_finished(asyncio_loop_t *loop, asyncio_task_t *t) {
    task_stack_release(t);
    t->stack = NULL;
    if (t == loop->until) loop->until_ended = true; /* the passes end on the loop's stack */
    timer_heap_unclaim(&loop->timers);         /* it will never wait again */
    if (loop->task_ended) loop->task_ended(t); /* before a consumer can free it */
    if (t->join)
        loop->join_child_done(t); /* join.c's, through the loop: only joins link it */
    else if (t->run.flags & TASK_DETACHED)
        task_release_detached(loop, t);
}

HOT_INLINE void arrived(asyncio_loop_t *loop) {
    asyncio_task_t *ended = loop->ended;
    if (!ended) return;
    loop->ended = NULL;
    task_finished(loop, ended);
}

/* The last switch of an ended task, to the loop's stack (which releases
 * the task's stack: task_resume). The step ends as at any switch. */
_Noreturn static void task_leave_ended(asyncio_loop_t *loop, asyncio_task_t *self) {
    watch_step_end(loop, self);
    void *save = NULL;
    port_switch_begin(&save, self->stack, NULL, true);
    loop->ended = self;
    loop->current = NULL;
    loop->scope = NULL; /* every switch leaves none (task_switch_out) */
    arch_switch(&self->ctx, &loop->loop_ctx);
    NEVER_HERE(); /* a finished task is never resumed */
}

/* The first frame on every task's stack. A task cancelled before it
 * started ends here without running its body. Whoever switched here left
 * loop->scope NULL and no ended task behind (task_switch_out). */
static void task_entry(void *arg) {
    const struct task_start *start = arg;
    asyncio_task_t *self = start->task;
    asyncio_loop_t *loop = self->loop;
    port_switch_end(NULL);
    self->run.state = TASK_READY; /* started; running (loop->current) */
    if (self->run.flags & TASK_CANCEL_REQUESTED)
        self->result = -ECANCELED;
    else
        self->result = start->fn(start->arg);
    self->run.state = TASK_DONE;
    task_leave_ended(loop, self);
}

/* Lays out a new task's first frame below the port's record at the top of
 * its stack. */
void task_context_make(asyncio_task_t *t, asyncio_coro_fn fn, void *arg) {
    char *lo = port_stack_lo(t->stack);
    uintptr_t top = (uintptr_t)t->stack - sizeof(struct task_start);
    struct task_start *start = (struct task_start *)(top & ~(uintptr_t)15);
    start->task = t;
    start->fn = fn;
    start->arg = arg;
    arch_context_make(&t->ctx, lo, (size_t)((char *)start - lo), task_entry, start);
}

/* Leaves the running task for the next task of this pass if there is one (a
 * single switch), else for the loop. Returns when the task is resumed, with
 * loop->scope back at the task's chain of timeout scopes, which waits in
 * this frame meanwhile.
 *
 * Every switch leaves loop->scope NULL (the chain of the task left waits in
 * its frame) and no ended task behind (task_leave_ended goes to the loop's
 * stack), so that a yield, resumed, has nothing to restore or release
 * (asyncio_yield's own switch). */
void task_switch_out(asyncio_loop_t *loop, asyncio_task_t *self) {
    asyncio_timeout_t *scope = loop->scope;
    watch_step_end(loop, self);
    asyncio_task_t *next = loop_pass_next_task(loop);
    ASSUME(self->stack != NULL); /* a task's stack goes only once it has left it */
    next = task_shared_handoff(loop, self, next, false); /* NULL: via the loop */
    void *save = NULL;
    port_switch_begin(&save, self->stack, next ? next->stack : NULL, false);
    loop->current = next;
    loop->scope = NULL;
    arch_switch(&self->ctx, next ? &next->ctx : &loop->loop_ctx);
    port_switch_end(save);
    loop->scope = scope;
}

/* Switches from the loop's stack to t until something switches back. */
static void task_resume(asyncio_loop_t *loop, asyncio_task_t *t) {
    void *save = NULL;
    port_switch_begin(&save, NULL, t->stack, false);
    loop->current = t;
    arch_switch(&loop->loop_ctx, &t->ctx);
    port_switch_end(save);
    arrived(loop);
}

/* Runs t, and then whatever a task that came back hands over to (a switch
 * that involves a shared-stack task goes through here: task_shared.c). */
void task_run(asyncio_loop_t *loop, asyncio_task_t *t) {
    watch_step_end(loop, NULL);
    do {
        if (task_on_shared_stack(t)) task_shared_enter(loop, t);
        task_resume(loop, t);
        t = task_shared_handed_over(loop);
    } while (t);
}

void core_running_task(const port_stack_t **stack, const char **name) {
    static PORT_THREAD_LOCAL char auto_name[16];
    asyncio_task_t *t = task_current();
    *stack = t ? t->stack : NULL;
    *name = t ? report_task_name(t, auto_name) : NULL;
}

/* ---- waiting and waking ------------------------------------------------------ */

int task_scope_check(asyncio_loop_t *loop) {
    return loop->scope_ends_by(loop, NULL) ? -ETIMEDOUT : 0;
}

/* A wait's own deadline has come: it ends with 0. */
static void wait_timer_fired(asyncio_loop_t *loop, struct timer *timer) {
    (void)loop;
    asyncio_task_t *t = wait_of_timer(timer)->task;
    ASSUME(t->run.state == TASK_WAITING); /* its wake removes a wait's timer */
    task_wake(t, 0);
}

/* Fills the wait's record and links it: the timer for the deadline or the
 * timeout scope, the queue; the task is then waiting. */
HOT_INLINE void wait_begin(struct asyncio_wait *w, asyncio_task_t *self, asyncio_waitq_t *q,
                           uint64_t deadline, wait_interrupt_fn on_interrupt, void *wait_data) {
    asyncio_loop_t *loop = self->loop;
    w->task = self;        /* field by field: an initialiser would zero it all first */
    w->leave_queue = NULL; /* queue, prev and next are set if it is queued */
    w->on_interrupt = on_interrupt;
    w->data = wait_data;
    w->timer.slot = TIMER_NOT_QUEUED;
    w->timer.fire = wait_timer_fired;
    uint64_t when = deadline; /* the scope's if earlier; on a tie the scope wins */
    timer_fire_fn scope_fired = loop->scope ? loop->scope_ends_by(loop, &when) : NULL;
    if (scope_fired) w->timer.fire = scope_fired;
    if (deadline != NO_DEADLINE || scope_fired)          /* then when != NO_DEADLINE */
        timer_heap_push(&loop->timers, &w->timer, when); /* its slot was claimed at creation */
    if (q) waitq_push(q, w);
    self->wait = w;
    self->result = 0;
    self->run.state = TASK_WAITING;
}

/* A shared-stack task's frames move while it waits; its wait does not: it
 * lives in the task's saved record. The record is filled in a call of its
 * own, so that the frame that stays while the task is suspended (and is
 * copied out and back) holds one register. */
NOINLINE static void shared_stack_wait_begin(asyncio_task_t *self, asyncio_waitq_t *q,
                                             uint64_t deadline, wait_interrupt_fn on_interrupt,
                                             void *wait_data) {
    wait_begin(task_shared_wait_record(self), self, q, deadline, on_interrupt, wait_data);
}

NOINLINE static int shared_stack_wait(asyncio_task_t *self, asyncio_waitq_t *q, uint64_t deadline,
                                      wait_interrupt_fn on_interrupt, void *wait_data) {
    shared_stack_wait_begin(self, q, deadline, on_interrupt, wait_data);
    task_switch_out(self->loop, self);
    return self->result;
}

int task_wait(asyncio_task_t *self, asyncio_waitq_t *q, uint64_t deadline,
              wait_interrupt_fn on_interrupt, void *wait_data) {
    if (task_on_shared_stack(self))
        return shared_stack_wait(self, q, deadline, on_interrupt, wait_data);
    struct asyncio_wait w; /* in this frame, on the task's own stack */
    wait_begin(&w, self, q, deadline, on_interrupt, wait_data);
    task_switch_out(self->loop, self);
    return self->result;
}

int task_wait_unscoped(asyncio_task_t *self, wait_interrupt_fn on_interrupt, void *wait_data) {
    asyncio_loop_t *loop = self->loop;
    asyncio_timeout_t *scope = loop->scope;
    loop->scope = NULL; /* task_switch_out keeps this NULL for the wait */
    int result = task_wait(self, NULL, NO_DEADLINE, on_interrupt, wait_data);
    loop->scope = scope;
    return result;
}

void task_wake(asyncio_task_t *t, int result) { task_wake_inline(t, result); }

void task_interrupt(asyncio_task_t *t, int reason) {
    wait_interrupt_fn hook = t->wait->on_interrupt;
    if (hook)
        hook(t, reason);
    else
        task_wake(t, reason);
}

/* ---- sleeping ---------------------------------------------------------------- */

/* A yield that the fast way does not take (a task cancelled or in timeout
 * scopes, and with PORT_ASM_YIELD any other): the checks, then the general
 * switch, which keeps the scope chain. */
NOINLINE static int yield_checked(asyncio_loop_t *loop, asyncio_task_t *self) {
    int err = task_interruption(loop, self);
    if (err) return err;
    loop_make_ready(loop, &self->run); /* READY already: it runs */
    task_switch_out(loop, self);
    return 0;
}

#if !PORT_ASM_YIELD
/* The rest of a yield that needs a call on its way: the general switch. */
NOINLINE static int yield_via_calls(asyncio_loop_t *loop, asyncio_task_t *self) {
    task_switch_out(loop, self);
    return 0;
}

/* The common case is the fast one: a task with no cancellation and no scope
 * has nothing to check and no scope chain to keep across the switch. When,
 * besides, no slow step is to be reported and no timer is pending at the
 * end of a pass (whether one is due reads the clock), it calls nothing but
 * the switch, which it then reaches with nothing to keep for after it: the
 * switch's frame is the yield's whole state. */
int asyncio_yield(void) {
    asyncio_loop_t *loop = loop_running();
    asyncio_task_t *self = loop ? loop->current : NULL;
    if (!self) return -EPERM;
    if (unlikely((self->run.flags & TASK_CANCEL_REQUESTED) || loop->scope))
        return yield_checked(loop, self);
    loop_make_ready(loop, &self->run); /* READY already: it runs */
    bool over = loop_stretch_over(loop); /* read before the atomics, which fence it */
    if (unlikely(atomic_load_explicit(&loop->watch.slow_step, memory_order_relaxed) != 0 ||
                 (over && (loop->timers.len || (PORT_PASS_STRETCH && loop->pass_head)))))
        return yield_via_calls(loop, self);
    uint32_t step = atomic_load_explicit(&loop->watch.steps, memory_order_relaxed);
    atomic_store_explicit(&loop->watch.steps, step + 1u, memory_order_relaxed); /* the step ends */
    asyncio_task_t *next = NULL;
    if (!over || loop_pass_begin_untimed(loop)) {
        struct runnable *r = loop->pass_head;
        if (r->kind == RUNNABLE_TASK) next = (asyncio_task_t *)(void *)loop_pass_pop(loop);
    }
    ASSUME(self->stack != NULL); /* a task's stack goes only once it has left it */
    next = task_shared_handoff(loop, self, next, false); /* NULL: via the loop */
    void *save = NULL;
    port_switch_begin(&save, self->stack, next ? next->stack : NULL, false);
    loop->current = next; /* loop->scope stays NULL, as every switch leaves it */
    arch_switch(&self->ctx, next ? &next->ctx : &loop->loop_ctx);
    port_switch_end(save);
    return 0; /* nothing wakes a ready task with a result */
}
#else
/* The port's asyncio_yield is in assembly (PORT_ASM_YIELD, in its
 * port_inline.h) and takes the common case above itself; for the rest it
 * comes here having changed nothing: the checks, then the general switch
 * (which reports an overflow or a slow step, and fires timers that are
 * due). */
int task_yield_general(void) {
    asyncio_loop_t *loop = loop_running();
    asyncio_task_t *self = loop ? loop->current : NULL;
    if (!self) return -EPERM;
    return yield_checked(loop, self);
}

/* What the port's assembly takes for granted (its port_inline.h includes
 * the numbers): every offset it uses, the settings whose code it leaves out
 * (stretched passes, shared stacks), and how it finds the running loop. */
#define YIELD_AT(type, field, where) \
    _Static_assert(offsetof(type, field) == (where), "yield_armv6m.h: " #type "." #field)
YIELD_AT(asyncio_loop_t, ready_head, YIELD_LOOP_READY_HEAD);
YIELD_AT(asyncio_loop_t, ready_link, YIELD_LOOP_READY_LINK);
YIELD_AT(asyncio_loop_t, pass_head, YIELD_LOOP_PASS_HEAD);
YIELD_AT(asyncio_loop_t, must_return, YIELD_LOOP_MUST_RETURN);
YIELD_AT(asyncio_loop_t, current, YIELD_LOOP_CURRENT);
YIELD_AT(asyncio_loop_t, scope, YIELD_LOOP_SCOPE);
YIELD_AT(asyncio_loop_t, watch.steps, YIELD_LOOP_WATCH_STEPS);
YIELD_AT(asyncio_loop_t, watch.slow_step, YIELD_LOOP_WATCH_SLOW);
YIELD_AT(asyncio_loop_t, watch_report, YIELD_LOOP_WATCH_REPORT);
YIELD_AT(asyncio_loop_t, timers.len, YIELD_LOOP_TIMERS_LEN);
YIELD_AT(asyncio_loop_t, loop_ctx, YIELD_LOOP_CTX);
YIELD_AT(asyncio_loop_t, port, YIELD_LOOP_PORT);
YIELD_AT(asyncio_task_t, run.next, YIELD_RUN_NEXT);
YIELD_AT(asyncio_task_t, run.kind, YIELD_RUN_KIND);
YIELD_AT(asyncio_task_t, run.flags, YIELD_RUN_FLAGS);
YIELD_AT(asyncio_task_t, ctx, YIELD_TASK_CTX);
YIELD_AT(asyncio_task_t, stack, YIELD_TASK_STACK);
YIELD_AT(struct port_stack, base, YIELD_STACK_BASE);
_Static_assert(sizeof(((asyncio_loop_t *)0)->must_return) == 4,
               "yield_armv6m.S loads must_return whole");
_Static_assert(YIELD_RUN_NEXT == 0 && YIELD_LOOP_READY_HEAD == 0,
               "yield_armv6m.S: a link's address is its record's");
_Static_assert(RUNNABLE_TASK == YIELD_RUNNABLE_TASK, "yield_armv6m.h: RUNNABLE_TASK");
_Static_assert(TASK_CANCEL_REQUESTED == 1u << YIELD_TASK_CANCEL_BIT, "yield_armv6m.h: cancel bit");
_Static_assert(PORT_STACK_CANARY == YIELD_STACK_CANARY, "yield_armv6m.h: the canary");
_Static_assert(!PORT_PASS_STRETCH && !PORT_SHARED_STACKS,
               "yield_armv6m.S has no stretches or shared stacks");
_Static_assert(PORT_CPUS == 1 || YIELD_CPUID_REG != 0,
               "yield_armv6m.S: which CPU's loop (YIELD_CPUID_REG)");
#endif

/* A sleep of us > 0. Apart from the test for 0, which is small enough to
 * inline into callers: a program whose sleeps are all constant and non-zero
 * (blink) then links no yield for them. */
NOINLINE static int sleep_for(uint64_t us) {
    asyncio_task_t *self;
    int err = task_enter_wait(&self);
    if (err) return err;
    uint64_t deadline = loop_deadline_after(self->loop, us);
    ASSUME(deadline != NO_DEADLINE); /* it saturates just below */
    return task_wait(self, NULL, deadline, NULL, NULL);
}

/* External definitions (the header's declarations are not inline) that a
 * whole-program build inlines into every caller. */
inline __attribute__((always_inline)) int asyncio_sleep_us(uint64_t us) {
    return us ? sleep_for(us) : asyncio_yield();
}

inline __attribute__((always_inline)) int asyncio_sleep_ms(uint32_t ms) {
    return asyncio_sleep_us(us_from_ms(ms));
}

int asyncio_sleep_until_us(uint64_t deadline_us) {
    asyncio_task_t *self;
    int err = task_enter_wait(&self);
    if (err) return err;
    if (deadline_us <= loop_now(self->loop)) return asyncio_yield();
    return task_wait(self, NULL, deadline_us, NULL, NULL);
}

/* ---- cancellation and inspection --------------------------------------------- */

bool asyncio_task_cancel(asyncio_task_t *t) {
    if (!t || t->run.state == TASK_DONE) return false;
    t->run.flags |= TASK_CANCEL_REQUESTED;
    if (t->run.state == TASK_WAITING) task_interrupt(t, -ECANCELED);
    return true;
}

void asyncio_task_uncancel(asyncio_task_t *t) {
    if (t) t->run.flags &= (uint8_t)~TASK_CANCEL_REQUESTED;
}

bool asyncio_task_done(const asyncio_task_t *t) { return t && t->run.state == TASK_DONE; }

bool asyncio_task_cancelled(const asyncio_task_t *t) {
    return t && t->run.state == TASK_DONE && t->result == -ECANCELED;
}

int asyncio_task_result(const asyncio_task_t *t) {
    if (!t) return -EINVAL;
    return t->run.state == TASK_DONE ? t->result : -EINPROGRESS;
}

void asyncio_task_detach(asyncio_task_t *t) {
    if (!t || (t->run.flags & (TASK_DETACHED | TASK_IN_JOIN))) return;
    t->run.flags |= TASK_DETACHED;
    if (t->run.state == TASK_DONE) task_release_detached(t->loop, t);
}
