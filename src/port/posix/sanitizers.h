/* Telling AddressSanitizer and valgrind about task stacks (no-ops without them). */
#ifndef CASYNCIO_SANITIZERS_H
#define CASYNCIO_SANITIZERS_H

#include <stdbool.h>
#include <stddef.h>

#include "port_inline.h" /* CASYNCIO_ASAN */

#ifdef CASYNCIO_ASAN
void sanitizer_unpoison(void *lo, size_t size);
#else
static inline void sanitizer_unpoison(void *lo, size_t size) {
    (void)lo;
    (void)size;
}
#endif

/* An id for the stack [lo, lo + size) registered with valgrind; 0 when not
 * running under it. */
#ifdef CASYNCIO_VALGRIND
bool valgrind_running(void);
unsigned valgrind_stack_register(void *lo, size_t size);
void valgrind_stack_deregister(unsigned id);
#else
static inline bool valgrind_running(void) { return false; }
static inline unsigned valgrind_stack_register(void *lo, size_t size) {
    (void)lo;
    (void)size;
    return 0;
}
static inline void valgrind_stack_deregister(unsigned id) { (void)id; }
#endif

#endif
