/*
 * The timer queue: a binary min-heap keyed by (deadline, insertion sequence),
 * so that timers with equal deadlines fire in the order they were set.
 *
 * Everything a sift reads or writes is the heap's own memory. An entry holds
 * its key, its timer and the timer's slot: the row of the array whose `where`
 * says where the entry is now. Sifting moves entries and updates `where`, and
 * never touches the timers' owners (waits on sleeping tasks' stacks,
 * callbacks): with 100,000 sleepers that is the difference between walking
 * one array and 100,000 pages. A timer's own slot is written twice, when it
 * is queued and when it leaves, and removal (a cancelled sleep) is
 * O(log n): `where` gives its entry at once. Taking the earliest timer out
 * asks for the line of the next one's owner: its task is the next to wake,
 * and on a big heap that line (often its page too) is far away.
 *
 * A timer takes a free slot when queued and frees it when it leaves. Slot 0
 * is no timer's: its `where` heads the list of free slots, linked through
 * their `where` (0 ends it). When the list is empty, the slots in use are
 * 1..len, so len + 1 is the next unused one; the array has a row more than
 * the heap's entries for it. It grows by doubling and never shrinks: a sleep
 * allocates nothing once the heap has seen as many timers as are ever
 * pending at once.
 *
 * That is the port's choice, PORT_TIMER_SLOT_ROWS (asyncio_port_config.h),
 * made where memory has pages and caches (the host). Where it has neither
 * and holds a few timers (the RP2040's SRAM), the rows are 16 bytes instead
 * of 24, with no slot, no `where` and no free list: a timer's `slot` is its
 * entry's index in the heap, written by every move, which costs nothing
 * there.
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

/* Puts `e` at i (not the row's `where`, which is the slot's). Field by field:
 * a size build would copy the struct with a call to memcpy. */
static void place(struct timer_entry *entries, uint32_t i, const struct timer_entry *e) {
    struct timer_entry *to = &entries[i];
    to->deadline = e->deadline;
    to->seq = e->seq;
    to->timer = e->timer;
#if PORT_TIMER_SLOT_ROWS
    to->slot = e->slot;
    entries[e->slot].where = i;
#else
    e->timer->slot = i;
#endif
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
        if (4 * i + 3 < h->len) PREFETCH(&entries[4 * i + 3]); /* the grandchildren */
        if (child + 1 < h->len && entry_before(&entries[child + 1], &entries[child])) child++;
        if (!entry_before(&entries[child], e)) break;
        place(entries, i, &entries[child]);
        i = child;
    }
    place(entries, i, e);
}

/* Grows the array to `rows` rows at least (row 0 and a row per slot). */
static int grow_to(struct timer_heap *h, uint32_t rows) {
    if (rows <= h->cap) return 0;
    uint32_t cap = h->cap ? h->cap : 2;
    while (cap < rows) cap *= 2;
    /* malloc and copy rather than realloc, which firmware then need not link */
    struct timer_entry *grown = PORT_MALLOC((size_t)cap * sizeof *grown);
    if (!grown) return -ENOMEM;
    if (h->cap)
        memcpy(grown, h->entries, (size_t)h->cap * sizeof *grown); /* every slot is below */
#if PORT_TIMER_SLOT_ROWS
    else
        grown[0].where = 0; /* no free slot */
#endif
    PORT_FREE(h->entries);
    h->entries = grown;
    h->cap = cap;
    return 0;
}

/* With `claimed` timers pending at most, heap positions 0..claimed-1 and
 * slots 1..claimed are all a heap can use: claimed rows, and row 0 with
 * PORT_TIMER_SLOT_ROWS. */
int timer_heap_claim(struct timer_heap *h) {
    if (grow_to(h, h->claimed + 1u + (PORT_TIMER_SLOT_ROWS ? 1u : 0u)) != 0) return -ENOMEM;
    h->claimed++;
    return 0;
}

void timer_heap_push(struct timer_heap *h, struct timer *t, uint64_t deadline) {
    ASSUME(h->len < h->claimed); /* its slot was claimed, so its row exists */
    if (PORT_PASS_STRETCH && !h->len) loop_timer_set(h); /* the first pending: see loop.c */
    struct timer_entry e = {.deadline = deadline, .seq = h->next_seq++, .timer = t};
#if PORT_TIMER_SLOT_ROWS
    struct timer_entry *rows = h->entries;
    uint32_t slot = rows[0].where; /* a free slot, else the next unused one */
    if (slot)
        rows[0].where = rows[slot].where;
    else
        slot = h->len + 1;
    t->slot = slot;
    e.slot = slot;
#endif
    settle(h, h->len++, &e);
}

/* Out of line, so that removing a timer that is not queued (every wake-up
 * but a timer's own) costs a test and no more. */
NOINLINE static void remove_queued(struct timer_heap *h, struct timer *t) {
    struct timer_entry *rows = h->entries;
    uint32_t i = timer_heap_index(h, t);
#if PORT_TIMER_SLOT_ROWS
    rows[t->slot].where = rows[0].where; /* the slot heads the free list */
    rows[0].where = t->slot;
#endif
    t->slot = TIMER_NOT_QUEUED;
    const struct timer_entry *last = &rows[--h->len]; /* stays put while it moves */
    if (i != h->len) settle(h, i, last);
}

void timer_heap_remove(struct timer_heap *h, struct timer *t) {
    if (t->slot != TIMER_NOT_QUEUED) remove_queued(h, t);
}

struct timer *timer_heap_pop_due(struct timer_heap *h, uint64_t now) {
    if (!h->len || h->entries[0].deadline > now) return NULL;
    struct timer *t = h->entries[0].timer;
    remove_queued(h, t);
    if (h->len) PREFETCH(h->entries[0].timer); /* the next to fire, ahead of its wake */
    return t;
}
