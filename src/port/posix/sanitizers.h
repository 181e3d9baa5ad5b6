/* Telling AddressSanitizer and valgrind about task stacks (no-ops without them). */
#ifndef CASYNCIO_SANITIZERS_H
#define CASYNCIO_SANITIZERS_H

#include <stddef.h>

#include "../port.h"

void sanitizer_unpoison(void *lo, size_t size);
unsigned valgrind_stack_register(void *lo, size_t size);
void valgrind_stack_deregister(unsigned id);
void port_stack_switching(const port_stack_t *to,
                          const char *to_name); /* canary check of the stack left */

#endif
