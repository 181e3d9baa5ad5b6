/* Telling AddressSanitizer and valgrind about task stacks (no-ops without them). */
#ifndef CASYNCIO_SANITIZERS_H
#define CASYNCIO_SANITIZERS_H

#include <stddef.h>

void sanitizer_unpoison(void *lo, size_t size);
/* An id for the stack [lo, lo + size) registered with valgrind; 0 when not
 * running under it. */
unsigned valgrind_stack_register(void *lo, size_t size);
void valgrind_stack_deregister(unsigned id);

#endif
