/*
 * The timer queue: a binary min-heap of pointers to timers embedded in their
 * owners (tasks, callbacks), keyed by (deadline, insertion sequence) so that
 * timers with equal deadlines fire in the order they were set. Each timer
 * knows its index, so removal (a cancelled sleep) is O(log n) too. The array
 * grows by doubling and never shrinks: a sleep allocates nothing once the heap
 * has seen as many timers as are ever pending at once.
 */
#include <stdlib.h>

#include "internal.h"

static bool timer_before(const struct timer *a, const struct timer *b) {
    if (a->deadline != b->deadline) return a->deadline < b->deadline;
    return (int32_t)(a->seq - b->seq) < 0; /* wrap-safe */
}

static void heap_place(struct timer **heap, uint32_t i, struct timer *t) {
    heap[i] = t;
    t->heap_index = i;
}

static void sift_up(struct timer **heap, uint32_t i) {
    struct timer *t = heap[i];
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!timer_before(t, heap[parent])) break;
        heap_place(heap, i, heap[parent]);
        i = parent;
    }
    heap_place(heap, i, t);
}

static void sift_down(struct timer **heap, uint32_t len, uint32_t i) {
    struct timer *t = heap[i];
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= len) break;
        if (child + 1 < len && timer_before(heap[child + 1], heap[child])) child++;
        if (!timer_before(heap[child], t)) break;
        heap_place(heap, i, heap[child]);
        i = child;
    }
    heap_place(heap, i, t);
}

int timer_heap_reserve(asyncio_loop_t *loop, uint32_t extra) {
    if (loop->heap_len + extra <= loop->heap_cap) return 0;
    uint32_t cap = loop->heap_cap ? loop->heap_cap : 16;
    while (cap < loop->heap_len + extra) cap *= 2;
    struct timer **grown = realloc(loop->heap, (size_t)cap * sizeof *grown);
    if (!grown) return -ENOMEM;
    loop->heap = grown;
    loop->heap_cap = cap;
    return 0;
}

int timer_heap_push(asyncio_loop_t *loop, struct timer *t, uint64_t deadline) {
    int err = timer_heap_reserve(loop, 1);
    if (err) return err;
    t->deadline = deadline;
    t->seq = loop->timer_seq++;
    loop->heap[loop->heap_len] = t;
    sift_up(loop->heap, loop->heap_len++);
    return 0;
}

void timer_heap_remove(asyncio_loop_t *loop, struct timer *t) {
    uint32_t i = t->heap_index;
    if (i == TIMER_NOT_QUEUED) return;
    t->heap_index = TIMER_NOT_QUEUED;
    struct timer *last = loop->heap[--loop->heap_len];
    if (i == loop->heap_len) return;
    heap_place(loop->heap, i, last);
    if (i > 0 && timer_before(last, loop->heap[(i - 1) / 2]))
        sift_up(loop->heap, i);
    else
        sift_down(loop->heap, loop->heap_len, i);
}

struct timer *timer_heap_pop_due(asyncio_loop_t *loop, uint64_t now) {
    struct timer *top = timer_heap_peek(loop);
    if (!top || top->deadline > now) return NULL;
    timer_heap_remove(loop, top);
    return top;
}
