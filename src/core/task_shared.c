/*
 * Shared-stack tasks (asyncio_task_opts_t.shared_stack): tasks that run on
 * one stack per loop and, while suspended, keep only the used part of it,
 * copied into a buffer of their own sized to fit.
 *
 * The copies are made on the loop's own stack, never on the shared one: a
 * task whose switch involves a shared-stack task (leaving or entering) goes
 * back to the loop (task_shared_leave), which copies the leaving task's
 * frames out, from its saved stack pointer to the top, copies the next
 * task's frames in and switches to it (task_run). The shared stack is thus
 * free whenever the loop runs, and holds one task's frames while it runs.
 * A yield of the only ready task switches to itself without a copy.
 *
 * Records others link. A suspended task's frames are elsewhere than where
 * they were written, so nothing may point into them while the task is
 * suspended. The core's own records are kept out of them:
 *  - the wait (struct asyncio_wait, with its timer), which wait queues, the
 *    timer heap and the task record link, lives in the task's saved record
 *    (struct task_saved), at an address that stays put while the task
 *    waits: task_wait() uses it instead of a local;
 *  - the wait's data, when it points into the task's own frames (the local
 *    a queue_get fills, the item a queue_put hands over), is moved to the
 *    same bytes in the saved copy when the frames are copied out: whoever
 *    completes the wait reads and writes the copy, which the task gets back
 *    with its frames. (Only that pointer is moved: what it points to must
 *    not itself be linked from elsewhere. The host's drivers keep their
 *    records on the heap.)
 *  - the join of an await or a gather, which every child links, is made on
 *    the heap with its list of children (join.c); a task group on the
 *    task's own stack is refused (taskgroup.c);
 *  - the chain of timeout scopes is the running task's alone (kept in
 *    task_switch_out's frame, which travels with the copy).
 * The rejected alternatives: restoring a task's frames before anyone
 * touches them cannot work while another task runs on the shared stack
 * (both need the same addresses), and keeping a waiting task in place would
 * stall every task whose frames were copied from the same stack, until it
 * ends: a deadlock when it waits for one of them.
 *
 * What a copy costs the tools: see port_stack_copy_prepare(). Memory for a
 * copy that cannot be had stops the program (as an overflow would): a
 * suspended task's frames have nowhere else to go.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#if PORT_SHARED_STACKS /* else the port offers none, and internal.h stubs these */

/* arch.h's: true for the assembly switches, which do not define it; the
 * ucontext fallback's own definition (false) replaces this one. */
__attribute__((weak)) const bool arch_stack_copyable = true;

struct shared_stack {
    port_stack_t *stack;     /* the frames of the task running on it, up to the port's record */
    asyncio_task_t *leaving; /* back at the loop, its frames still on the stack */
    asyncio_task_t *handoff; /* what the loop runs next on its behalf */
};

/* A shared-stack task's record of its suspended frames. It stays put for
 * the task's life (what others link is in it); the frames go in a buffer
 * of their own, sized when first needed and grown as the task suspends
 * deeper. */
struct task_saved {
    union {
        struct asyncio_wait wait; /* its wait, while it waits */
        struct {                  /* until it first runs */
            asyncio_coro_fn fn;
            void *arg;
        } start;
    } u;
    /* The frames, from the stack pointer's offset in 16 bytes (so that the
     * copy keeps every object's alignment: malloc's is 16 on the hosts that
     * offer shared stacks) up to the top. */
    unsigned char *bytes;
    size_t cap; /* bytes of room in it */
};

/* Room above the first frame that laying it out writes into. */
#define FIRST_FRAME_ROOM 1024u

static char *stack_top(const struct shared_stack *sh) { return (char *)sh->stack; }

/* Where the frames of a suspended task at `sp` lie in its copy. */
static unsigned char *copy_of(struct task_saved *s, const char *sp) {
    return s->bytes + ((uintptr_t)sp & 15u);
}

bool task_shared_offered(void) {
    /* read from memory: the compiler would take this file's weak value */
    return *(const volatile bool *)&arch_stack_copyable;
}

int task_shared_init(asyncio_loop_t *loop, asyncio_task_t *t, asyncio_coro_fn fn, void *arg) {
    if (!task_shared_offered()) return -ENOTSUP;
    struct shared_stack *sh = loop->shared;
    if (!sh) {
        sh = PORT_MALLOC(sizeof *sh);
        if (!sh) return -ENOMEM;
        memset(sh, 0, sizeof *sh);
        sh->stack = port_stack_alloc(ASYNCIO_SHARED_STACK);
        if (!sh->stack) {
            PORT_FREE(sh);
            return -ENOMEM;
        }
        loop->shared = sh;
    }
    struct task_saved *s = PORT_MALLOC(sizeof *s);
    if (!s) return -ENOMEM;
    s->u.start.fn = fn;
    s->u.start.arg = arg;
    s->bytes = NULL;
    s->cap = 0;
    t->saved = s;
    t->stack = sh->stack;
    t->run.flags |= TASK_SHARED_STACK;
    return 0;
}

void task_shared_free(asyncio_task_t *t) {
    PORT_FREE(t->saved->bytes);
    PORT_FREE(t->saved);
    t->saved = NULL;
}

void task_shared_close(asyncio_loop_t *loop) {
    struct shared_stack *sh = loop->shared;
    if (!sh) return;
    port_stack_free(sh->stack);
    PORT_FREE(sh);
    loop->shared = NULL;
}

void task_shared_leave(asyncio_loop_t *loop, asyncio_task_t *self, asyncio_task_t *next,
                       bool ending) {
    struct shared_stack *sh = loop->shared;
    sh->handoff = next;
    sh->leaving = task_on_shared_stack(self) && !ending ? self : NULL;
}

/* Room for `need` bytes of frames: false when memory is short. */
static bool saved_reserve(struct task_saved *s, size_t need) {
    if (s->cap >= need) return true;
    unsigned char *grown = PORT_REALLOC(s->bytes, need);
    if (!grown) return false;
    s->bytes = grown;
    s->cap = need;
    return true;
}

/* Copies the frames of `t`, which has just left the shared stack, out. */
static void frames_save(struct shared_stack *sh, asyncio_task_t *t) {
    char *sp = t->ctx.sp;
    char *top = stack_top(sh);
    size_t len = (size_t)(top - sp);
    if (!saved_reserve(t->saved, len + ((uintptr_t)sp & 15u))) {
        report("casyncio: no memory to suspend a shared-stack task\n");
        abort();
    }
    unsigned char *copy = copy_of(t->saved, sp);
    port_stack_copy_prepare(sp, len, false);
    memcpy(copy, sp, len);
    if (t->run.state == TASK_WAITING) {
        char *data = t->wait->data;
        if (data >= sp && data < top) t->wait->data = copy + (data - sp);
    }
}

/* Puts the frames of `t` back where they were (a new task: lays out its
 * first frame). */
void task_shared_enter(asyncio_loop_t *loop, asyncio_task_t *t) {
    struct shared_stack *sh = loop->shared;
    char *top = stack_top(sh);
    struct task_saved *s = t->saved;
    if (t->run.state == TASK_NEW) {
        port_stack_copy_prepare(top - FIRST_FRAME_ROOM, FIRST_FRAME_ROOM, true);
        task_context_make(t, s->u.start.fn, s->u.start.arg);
        return;
    }
    char *sp = t->ctx.sp;
    size_t len = (size_t)(top - sp);
    port_stack_copy_prepare(sp, len, true);
    memcpy(sp, copy_of(s, sp), len);
}

asyncio_task_t *task_shared_continue(asyncio_loop_t *loop) {
    struct shared_stack *sh = loop->shared;
    asyncio_task_t *left = sh->leaving, *next = sh->handoff;
    sh->leaving = sh->handoff = NULL;
    if (left) frames_save(sh, left);
    return next;
}

struct asyncio_wait *task_shared_wait_record(asyncio_task_t *t) {
    return &t->saved->u.wait;
}

#endif
