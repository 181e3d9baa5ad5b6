/*
 * Queue: a ring of fixed-size items in caller storage, with FIFO putters and
 * getters. A blocked getter waits with its output buffer, a blocked putter
 * with its item (both as its wait's data, task_wait_data), and whoever
 * unblocks them copies the item at that moment: into the getter's buffer, or
 * from the putter's item into the ring. So a waiter that is cancelled before
 * being served leaves nothing behind (no item taken, none added), and one
 * that was served before its cancellation arrived has completed (returns 0).
 *
 * Invariants: getters wait only while the ring is empty, putters only while
 * it is full.
 */
#include <string.h>

#include "internal.h"

static bool queue_valid(const asyncio_queue_t *q) {
    return q && q->buffer && q->item_size && q->capacity && q->head < q->capacity &&
           q->count <= q->capacity;
}

int asyncio_queue_init(asyncio_queue_t *q, void *buffer, size_t item_size, size_t capacity) {
    if (!q || !buffer || !item_size || !capacity || capacity > SIZE_MAX / item_size) return -EINVAL;
    q->buffer = buffer;
    q->item_size = item_size;
    q->capacity = capacity;
    q->head = 0;
    q->count = 0;
    q->getters.first = q->getters.last = NULL;
    q->putters.first = q->putters.last = NULL;
    return 0;
}

/* The item `offset` places after the oldest one (offset < capacity). The
 * wrap is a compare, not a division: on small cores a division is a call. */
static unsigned char *slot(const asyncio_queue_t *q, size_t offset) {
    size_t index = q->head + offset;
    if (index >= q->capacity) index -= q->capacity;
    return q->buffer + index * q->item_size;
}

/* Completes a put at once if it can: straight to the first getter, else into
 * the ring. False if the ring is full. */
static bool put_now(asyncio_queue_t *q, const void *item) {
    asyncio_task_t *getter = waitq_first(&q->getters);
    if (getter) {
        memcpy(task_wait_data(getter), item, q->item_size);
        task_wake(getter, 0);
        return true;
    }
    if (q->count == q->capacity || !waitq_empty(&q->putters)) return false;
    memcpy(slot(q, q->count), item, q->item_size);
    q->count++;
    return true;
}

/* Completes a get at once if it can; the slot it frees goes to the first
 * blocked putter, whose put is then complete. False if the ring is empty. */
static bool get_now(asyncio_queue_t *q, void *item_out) {
    if (q->count == 0) return false;
    memcpy(item_out, slot(q, 0), q->item_size);
    if (++q->head == q->capacity) q->head = 0;
    q->count--;
    asyncio_task_t *putter = waitq_first(&q->putters);
    if (putter) {
        memcpy(slot(q, q->count), task_wait_data(putter), q->item_size);
        q->count++;
        task_wake(putter, 0);
    }
    return true;
}

int asyncio_queue_put(asyncio_queue_t *q, const void *item) {
    if (!queue_valid(q) || !item) return -EINVAL;
    asyncio_task_t *self;
    int err = task_enter_wait(&self);
    if (err) return err;
    if (put_now(q, item)) return 0;
    return task_wait(self, &q->putters, NO_DEADLINE, NULL, (void *)(uintptr_t)item);
}

int asyncio_queue_get(asyncio_queue_t *q, void *item_out) {
    if (!queue_valid(q) || !item_out) return -EINVAL;
    asyncio_task_t *self;
    int err = task_enter_wait(&self);
    if (err) return err;
    if (get_now(q, item_out)) return 0;
    return task_wait(self, &q->getters, NO_DEADLINE, NULL, item_out);
}

int asyncio_queue_put_nowait(asyncio_queue_t *q, const void *item) {
    if (!queue_valid(q) || !item) return -EINVAL;
    return put_now(q, item) ? 0 : -EAGAIN;
}

int asyncio_queue_get_nowait(asyncio_queue_t *q, void *item_out) {
    if (!queue_valid(q) || !item_out) return -EINVAL;
    return get_now(q, item_out) ? 0 : -EAGAIN;
}

size_t asyncio_queue_qsize(const asyncio_queue_t *q) { return q ? q->count : 0u; }

bool asyncio_queue_empty(const asyncio_queue_t *q) { return !q || q->count == 0; }

bool asyncio_queue_full(const asyncio_queue_t *q) { return q && q->count >= q->capacity; }
