/*
 * The timer queue: a binary min-heap keyed by (deadline, insertion sequence),
 * so that timers with equal deadlines fire in the order they were set. The
 * key sits in the heap's own array, so sifting compares without touching the
 * timers' owners (waits on task stacks, callbacks): with 100,000 sleepers
 * that is the difference between walking one array and 100,000 pages. Each
 * timer knows its slot, so removal (a cancelled sleep) is O(log n) too. The
 * array grows by doubling and never shrinks: a sleep allocates nothing once
 * the heap has seen as many timers as are ever pending at once.
 *
 * Every timer's slot is claimed before the timer can be pushed: by a task
 * when it is created (a task has at most one timer, its wait's), by a
 * call_later callback when it is scheduled. So the array always has room for
 * every timer that can be pending, a push never allocates, and a wait never
 * fails for memory: creation fails instead, cleanly.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

NOINLINE static bool entry_before(const struct timer_entry *a, const struct timer_entry *b) {
    if (a->deadline != b->deadline) return a->deadline < b->deadline;
    return (int32_t)(a->seq - b->seq) < 0; /* wrap-safe */
}

/* Field by field: a size build would copy the struct with a call to memcpy. */
static void place(struct timer_entry *entries, uint32_t i, const struct timer_entry *e) {
    entries[i].deadline = e->deadline;
    entries[i].seq = e->seq;
    entries[i].timer = e->timer;
    e->timer->slot = i;
}

/* Moves the hole at i up, else down, until `e` fits there: one function for
 * both directions, as a hole that moved up has children later than `e` (they
 * were later than the parent that came down), so the second loop stops at
 * its first look. The entries from h->len on are left alone. */
static void settle(struct timer_heap *h, uint32_t i, const struct timer_entry *e) {
    struct timer_entry *entries = h->entries;
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!entry_before(e, &entries[parent])) break;
        place(entries, i, &entries[parent]);
        i = parent;
    }
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= h->len) break;
        if (child + 1 < h->len && entry_before(&entries[child + 1], &entries[child])) child++;
        if (!entry_before(&entries[child], e)) break;
        place(entries, i, &entries[child]);
        i = child;
    }
    place(entries, i, e);
}

/* Grows the array to hold `total` entries at least. */
static int grow_to(struct timer_heap *h, uint32_t total) {
    if (total <= h->cap) return 0;
    uint32_t cap = h->cap ? h->cap : 1; /* a small board with two tasks needs two */
    while (cap < total) cap *= 2;
    /* malloc and copy rather than realloc, which firmware then need not link */
    struct timer_entry *grown = malloc((size_t)cap * sizeof *grown);
    if (!grown) return -ENOMEM;
    if (h->len) memcpy(grown, h->entries, (size_t)h->len * sizeof *grown);
    free(h->entries);
    h->entries = grown;
    h->cap = cap;
    return 0;
}

int timer_heap_claim(struct timer_heap *h) {
    if (grow_to(h, h->claimed + 1u) != 0) return -ENOMEM;
    h->claimed++;
    return 0;
}

void timer_heap_push(struct timer_heap *h, struct timer *t, uint64_t deadline) {
    ASSUME(h->len < h->cap); /* its slot was claimed */
    struct timer_entry e = {.deadline = deadline, .seq = h->next_seq++, .timer = t};
    settle(h, h->len++, &e);
}

void timer_heap_remove(struct timer_heap *h, struct timer *t) {
    uint32_t i = t->slot;
    if (i == TIMER_NOT_QUEUED) return;
    t->slot = TIMER_NOT_QUEUED;
    const struct timer_entry *last = &h->entries[--h->len]; /* stays put while it moves */
    if (i != h->len) settle(h, i, last);
}

struct timer *timer_heap_pop_due(struct timer_heap *h, uint64_t now) {
    if (!h->len || h->entries[0].deadline > now) return NULL;
    struct timer *t = h->entries[0].timer;
    timer_heap_remove(h, t);
    return t;
}
