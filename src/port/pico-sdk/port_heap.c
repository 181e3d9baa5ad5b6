/*
 * casyncio's memory on pico-sdk (PORT_MALLOC, PORT_REALLOC and PORT_FREE of
 * asyncio_port_config.h): the first-fit heap of src/port/cortex-m/heap.c,
 * private to casyncio, grown on demand by blocks taken from the SDK's sbrk
 * (the RAM between .bss and the main stacks that newlib's malloc takes its
 * own blocks from). The two allocators share that region and nothing
 * else: a block casyncio frees stays in its heap for its next allocation,
 * and newlib's malloc, when a program uses it, copes with the blocks
 * casyncio took in between its own as with any other caller of sbrk. A
 * program that never calls malloc links none: the SDK's malloc with
 * newlib's would add about 3 KB to a blink.
 *
 * Calls from both cores are serialised by the port's critical section
 * (interrupts masked, hardware spin lock 14). The core never allocates
 * inside a critical section, so the lock is never taken twice.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../core/driver.h"
#include "../cortex-m/heap.h"
#include "hardware/sync.h"

void *__real__sbrk(int incr);
void *__wrap__sbrk(int incr);

/* Every sbrk of the program, newlib's malloc's included, comes here
 * (port.cmake links with --wrap=_sbrk): the SDK's _sbrk takes no lock, and
 * casyncio's heap may grow on one core while the program's malloc grows on
 * the other. The swap's spin lock: it is only ever held for a few
 * instructions, inside the critical section's lock or alone. */
void *__wrap__sbrk(int incr) {
    spin_lock_t *lock = spin_lock_instance(PORT_PICO_SWAP_SPIN_LOCK);
    uint32_t state = spin_lock_blocking(lock);
    void *block = __real__sbrk(incr);
    spin_unlock(lock, state);
    return block;
}

static char *heap_end;    /* the end of the last block taken from sbrk */
static size_t heap_bytes; /* in chunks, free or not */

/* Adds a block from sbrk that holds a chunk of n bytes at least; false
 * when the region is used up. A block that starts where the last one ended
 * continues it: the bytes heap.h loses at the seam join the new chunk,
 * which then also merges with a free chunk at the end of the last block. */
static bool heap_grow(size_t n) {
    size_t bytes = ((n + 7u) & ~(size_t)7u) + 24u; /* + a header, alignment at both ends */
    if (bytes < n || bytes > INT32_MAX) return false;
    char *block = __wrap__sbrk((int)bytes);
    if (block == (char *)-1) return false;
    char *start = (char *)(((uintptr_t)block + 7u) & ~(uintptr_t)7u);
    char *end = (char *)(((uintptr_t)block + bytes) & ~(uintptr_t)7u);
    if (block == heap_end) start -= 8;
    casyncio_heap_add(start, (size_t)(end - start));
    heap_bytes += (size_t)(end - start) - 8u; /* heap.h's 4 bytes at each end */
    heap_end = end;
    return true;
}

void *casyncio_pico_malloc(size_t n) {
    uint32_t state = port_critical_enter();
    void *p = casyncio_heap_alloc(n);
    if (!p && heap_grow(n)) p = casyncio_heap_alloc(n);
    port_critical_exit(state);
    return p;
}

void *casyncio_pico_realloc(void *p, size_t n) {
    uint32_t state = port_critical_enter();
    void *q = casyncio_heap_realloc(p, n);
    if (!q && n && heap_grow(n)) q = casyncio_heap_realloc(p, n);
    port_critical_exit(state);
    return q;
}

void casyncio_pico_free(void *p) {
    uint32_t state = port_critical_enter();
    casyncio_heap_free(p);
    port_critical_exit(state);
}

size_t casyncio_pico_heap_in_use(void) {
    uint32_t state = port_critical_enter();
    size_t used = heap_bytes - casyncio_heap_free_bytes();
    port_critical_exit(state);
    return used;
}
