/*
 * The timer queue: a min-heap keyed by (deadline, insertion sequence), so
 * that timers with equal deadlines fire in the order they were set. Each
 * entry has PORT_TIMER_HEAP_ARITY children (2 where the port says nothing):
 * the children of entry i are entries ARITY*i+1 .. ARITY*i+ARITY.
 *
 * On the host the heap is 4-ary. Taking the earliest timer out sifts an
 * entry down from the top, and with 1,000,000 timers the lower levels are
 * out of the caches: a binary heap passes 20 levels and waits for a line at
 * most of them, a 4-ary heap passes 10. Its 4 siblings sit in one 64-byte
 * line (16-byte entries, and the array placed so that every group of
 * siblings starts a line): a level costs 3 comparisons instead of 1, which
 * are cheap beside the line they wait for. Where there is no cache (the
 * RP2040) a level costs its comparisons only, and 2 keeps the code small.
 *
 * Everything a sift reads or writes is the heap's own memory. With
 * PORT_TIMER_SLOT_ROWS (the host's choice: memory with pages and caches),
 * an entry holds its key and its timer's slot, a number the timer keeps
 * while queued, and two arrays of the heap have a row per slot: `owners`
 * says which timer the slot is, `where` where its entry is now. Sifting
 * moves entries and updates `where`, and never touches the timers' owners
 * (waits on sleeping tasks' stacks, callbacks): with 100,000 sleepers that
 * is the difference between walking one array and 100,000 pages. `where`
 * is an array of its own, 4 bytes a slot, so that the write each level of
 * a sift makes there lands in 4 MB for 1,000,000 timers, not in 32. A
 * timer's own slot is written twice, when it is queued and when it leaves,
 * and removal (a cancelled sleep) is O(log n): `where` gives its entry at
 * once. Taking the earliest timer out asks for the line of the next one's
 * owner: its task is the next to wake, and on a big heap that line (often
 * its page too) is far away.
 *
 * A timer takes a free slot when queued and frees it when it leaves. Slot 0
 * is no timer's: its `where` heads the list of free slots, linked through
 * their `where` (0 ends it). When the list is empty, the slots in use are
 * 1..len, so len + 1 is the next unused one; the arrays have a row more
 * than the heap's entries for it. They grow by doubling and never shrink: a
 * sleep allocates nothing once the heap has seen as many timers as are ever
 * pending at once.
 *
 * Where memory has neither pages nor caches and holds a few timers (the
 * RP2040's SRAM), PORT_TIMER_SLOT_ROWS is 0: an entry holds its timer, with
 * no slot, no `owners`, no `where` and no free list, and a timer's `slot` is
 * its entry's index in the heap, written by every move, which costs nothing
 * there.
 *
 * Every timer's slot is claimed before the timer can be pushed: by a task
 * when it is created (a task has at most one timer, its wait's), by a
 * call_later callback when it is scheduled. So the arrays always have room
 * for every timer that can be pending, a push never allocates, and a wait
 * never fails for memory: creation fails instead, cleanly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ARITY PORT_TIMER_HEAP_ARITY
_Static_assert(ARITY >= 2 && (ARITY & (ARITY - 1)) == 0, "a power of two, 2 or more");

/* Whether a comes before b. Out of line in a binary heap (the RP2040's: a
 * size build would copy it into each caller), inline in a wider one, whose
 * sift compares ARITY - 1 siblings a level. */
#if ARITY > 2
HOT_INLINE bool entry_before(const struct timer_entry *a, const struct timer_entry *b) {
#else
NOINLINE static bool entry_before(const struct timer_entry *a, const struct timer_entry *b) {
#endif
    if (a->deadline != b->deadline) return a->deadline < b->deadline;
    return (int32_t)(a->seq - b->seq) < 0; /* wrap-safe */
}

/* Puts `e` at i. Field by field: a size build would copy the struct with a
 * call to memcpy. */
static void place(const struct timer_heap *h, uint32_t i, const struct timer_entry *e) {
    struct timer_entry *to = &h->entries[i];
    to->deadline = e->deadline;
    to->seq = e->seq;
#if PORT_TIMER_SLOT_ROWS
    to->slot = e->slot;
    h->where[e->slot] = i;
#else
    to->timer = e->timer;
    e->timer->slot = i;
#endif
}

/* The earliest of the children of an entry, whose first is `first` (< len). */
static uint32_t earliest_child(const struct timer_heap *h, uint32_t first) {
    const struct timer_entry *entries = h->entries;
    if (ARITY == 2) { /* one comparison: a size build would leave a loop of one turn */
        bool second = first + 1 < h->len && entry_before(&entries[first + 1], &entries[first]);
        return second ? first + 1 : first;
    }
    uint32_t end = h->len - first > ARITY ? first + ARITY : h->len;
    uint32_t best = first;
    for (uint32_t c = first + 1; c < end; c++)
        if (entry_before(&entries[c], &entries[best])) best = c;
    return best;
}

/* Moves the hole at i up, else down, until `e` fits there: one function for
 * both directions, as a hole that moved up has children later than `e` (they
 * were later than the parent that came down), so the second loop stops at
 * its first look. The entries from h->len on are left alone. */
static void settle(struct timer_heap *h, uint32_t i, const struct timer_entry *e) {
    const struct timer_entry *entries = h->entries;
    while (i > 0) {
        uint32_t parent = (i - 1) / ARITY;
        if (!entry_before(e, &entries[parent])) break;
        place(h, i, &entries[parent]);
        i = parent;
    }
    for (;;) {
        uint32_t first = ARITY * i + 1;
        if (first >= h->len) break;
        /* the next level reads one of the grandchildren's groups: ask for
         * them all (4 lines in a row on the host, where this is the cost) */
        uint32_t grandchildren = ARITY * first + 1;
        if (grandchildren + ARITY * (ARITY - 1) < h->len)
            for (uint32_t g = 0; g < ARITY; g++) PREFETCH(&entries[grandchildren + g * ARITY]);
        uint32_t child = earliest_child(h, first);
        if (!entry_before(&entries[child], e)) break;
        place(h, i, &entries[child]);
        i = child;
    }
    place(h, i, e);
}

#if PORT_TIMER_SLOT_ROWS
/* A group of siblings: ARITY entries, 64 bytes on the host. */
#define GROUP_BYTES ((uintptr_t)(ARITY * sizeof(struct timer_entry)))
_Static_assert((GROUP_BYTES & (GROUP_BYTES - 1)) == 0, "groups are aligned to their size");
/* Rows enough for 134 million timers with 4 children, and few enough that
 * settle's ARITY*ARITY*i + ... (a grandchild's index) stays in 32 bits. */
#define MAX_ROWS (UINT32_MAX / (ARITY * ARITY) / 2u)

/* Grows the arrays to `rows` rows at least (row 0 and a row per slot), in
 * one block: the entries, then `owners`, then `where`. */
static int grow_to(struct timer_heap *h, uint32_t rows) {
    if (rows <= h->cap) return 0;
    if (rows > MAX_ROWS) return -ENOMEM;
    uint32_t cap = h->cap ? h->cap : 2;
    while (cap < rows) cap *= 2;
    size_t row_bytes = sizeof(struct timer_entry) + sizeof(struct timer *) + sizeof(uint32_t);
    char *block = PORT_MALLOC(GROUP_BYTES - 1 + (ARITY - 1) * sizeof(struct timer_entry) +
                              (size_t)cap * row_bytes);
    if (!block) return -ENOMEM;
    /* Entry 0 sits ARITY - 1 entries past the start of a group, so that the
     * children of i (ARITY*i + 1 on) start a group, ARITY*(i + 1) entries
     * past it: a level of a sift reads one line. */
    uintptr_t group = ((uintptr_t)block + GROUP_BYTES - 1) & ~(GROUP_BYTES - 1);
    struct timer_entry *entries = (struct timer_entry *)group + (ARITY - 1);
    struct timer **owners = (struct timer **)(void *)(entries + cap);
    uint32_t *where = (uint32_t *)(void *)(owners + cap);
    if (h->cap) { /* every slot is below the old cap */
        memcpy(entries, h->entries, (size_t)h->len * sizeof *entries);
        memcpy(owners, h->owners, (size_t)h->cap * sizeof *owners);
        memcpy(where, h->where, (size_t)h->cap * sizeof *where);
    } else {
        where[0] = 0; /* no free slot */
    }
    PORT_FREE(h->block);
    h->block = block;
    h->entries = entries;
    h->owners = owners;
    h->where = where;
    h->cap = cap;
    return 0;
}
#else
/* Grows the array to `rows` rows at least. */
static int grow_to(struct timer_heap *h, uint32_t rows) {
    if (rows <= h->cap) return 0;
    uint32_t cap = h->cap ? h->cap : 2;
    while (cap < rows) cap *= 2;
    /* malloc and copy rather than realloc, which firmware then need not link */
    struct timer_entry *grown = PORT_MALLOC((size_t)cap * sizeof *grown);
    if (!grown) return -ENOMEM;
    if (h->cap) memcpy(grown, h->entries, (size_t)h->cap * sizeof *grown);
    PORT_FREE(h->entries);
    h->entries = grown;
    h->cap = cap;
    return 0;
}
#endif

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
#if PORT_TIMER_SLOT_ROWS
    uint32_t slot = h->where[0]; /* a free slot, else the next unused one */
    if (slot)
        h->where[0] = h->where[slot];
    else
        slot = h->len + 1;
    h->owners[slot] = t;
    t->slot = slot;
    struct timer_entry e = {.deadline = deadline, .seq = h->next_seq++, .slot = slot};
#else
    struct timer_entry e = {.deadline = deadline, .seq = h->next_seq++, .timer = t};
#endif
    settle(h, h->len++, &e);
}

/* Takes the entry at i out; `t` is its timer. Out of line, so that removing
 * a timer that is not queued (every wake-up but a timer's own) costs a test
 * and no more. */
NOINLINE static void remove_at(struct timer_heap *h, uint32_t i, struct timer *t) {
#if PORT_TIMER_SLOT_ROWS
    h->where[t->slot] = h->where[0]; /* the slot heads the free list */
    h->where[0] = t->slot;
#endif
    t->slot = TIMER_NOT_QUEUED;
    const struct timer_entry *last = &h->entries[--h->len]; /* stays put while it moves */
    if (i != h->len) settle(h, i, last);
}

void timer_heap_remove(struct timer_heap *h, struct timer *t) {
    if (t->slot != TIMER_NOT_QUEUED) remove_at(h, timer_heap_index(h, t), t);
}

/* Takes the earliest timer out if it is due. Then asks for the line of the
 * next one's owner, whose task is the next to wake: on a big heap that line,
 * often its page too, is far away. With slot rows, finding that owner reads
 * its `owners` row, far away too, so it asks as well for the row of the one
 * after: the earliest of the top's children, the next top unless a new
 * timer comes first. (In the body: a helper that only prefetches looks pure
 * to gcc, which then drops its calls.) */
struct timer *timer_heap_pop_due(struct timer_heap *h, uint64_t now) {
    if (!h->len || h->entries[0].deadline > now) return NULL;
    struct timer *t = timer_heap_timer_at(h, 0);
    remove_at(h, 0, t);
    if (h->len) PREFETCH(timer_heap_timer_at(h, 0));
#if PORT_TIMER_SLOT_ROWS
    if (h->len > 1) PREFETCH(&h->owners[h->entries[earliest_child(h, 1)].slot]);
#endif
    return t;
}
