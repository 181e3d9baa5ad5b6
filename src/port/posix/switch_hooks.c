/*
 * Hooks around every stack switch, for the tools that watch stacks.
 *
 * AddressSanitizer keeps a shadow of the current stack and must be told when
 * it changes (start/finish_switch_fiber) or it reports false overflows and
 * misses real ones. valgrind must know each task stack's bounds, or it takes
 * the switch for a huge stack-pointer move. Both are compiled in only when
 * the build uses them, and cost nothing otherwise.
 */
#define _GNU_SOURCE
#include <stdbool.h>

#include "../port.h"
#include "sanitizers.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CASYNCIO_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CASYNCIO_ASAN 1
#endif

#ifdef CASYNCIO_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>

#include <pthread.h>

/* The bounds of the thread's own stack, where the loop runs. */
static _Thread_local void *loop_stack_bottom;
static _Thread_local size_t loop_stack_size;

static void learn_loop_stack(void) {
    pthread_attr_t attr;
    if (loop_stack_bottom || pthread_getattr_np(pthread_self(), &attr) != 0) return;
    pthread_attr_getstack(&attr, &loop_stack_bottom, &loop_stack_size);
    pthread_attr_destroy(&attr);
}

void port_switch_begin(void **save, const port_stack_t *to, const char *to_name, bool ending) {
    port_stack_switching(to, to_name);
    if (!to) learn_loop_stack();
    const void *bottom = to ? to->lo : loop_stack_bottom;
    size_t size = to ? to->size : loop_stack_size;
    __sanitizer_start_switch_fiber(ending ? NULL : save, bottom, size);
}

void port_switch_end(void *save) { __sanitizer_finish_switch_fiber(save, NULL, NULL); }

void sanitizer_unpoison(void *lo, size_t size) { ASAN_UNPOISON_MEMORY_REGION(lo, size); }
#else
void port_switch_begin(void **save, const port_stack_t *to, const char *to_name, bool ending) {
    (void)save;
    (void)ending;
    port_stack_switching(to, to_name);
}

void port_switch_end(void *save) { (void)save; }

void sanitizer_unpoison(void *lo, size_t size) {
    (void)lo;
    (void)size;
}
#endif

#ifdef CASYNCIO_VALGRIND
#include <valgrind/valgrind.h>

unsigned valgrind_stack_register(void *lo, size_t size) {
    return VALGRIND_STACK_REGISTER(lo, (char *)lo + size);
}

void valgrind_stack_deregister(unsigned id) { VALGRIND_STACK_DEREGISTER(id); }
#else
unsigned valgrind_stack_register(void *lo, size_t size) {
    (void)lo;
    (void)size;
    return 0;
}

void valgrind_stack_deregister(unsigned id) { (void)id; }
#endif
