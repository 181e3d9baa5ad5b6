/*
 * What the tools that watch stacks must be told.
 *
 * AddressSanitizer keeps a shadow of the current stack and must be told when
 * it changes (start/finish_switch_fiber) or it reports false overflows and
 * misses real ones. valgrind must know each task stack's bounds, or it takes
 * the switch for a huge stack-pointer move. Both are compiled in only when
 * the build uses them, and cost nothing otherwise.
 */
#define _GNU_SOURCE
#include <stdbool.h>

#include "port_posix.h"
#include "sanitizers.h"

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

void port_asan_switch_begin(void **save, const port_stack_t *to, bool ending) {
    if (!to) learn_loop_stack();
    const void *bottom = to ? (const void *)to->lo : loop_stack_bottom;
    size_t size = to ? (size_t)((const char *)to - to->lo) : loop_stack_size;
    __sanitizer_start_switch_fiber(ending ? NULL : save, bottom, size);
}

void port_asan_switch_end(void *save) { __sanitizer_finish_switch_fiber(save, NULL, NULL); }

void sanitizer_unpoison(void *lo, size_t size) { ASAN_UNPOISON_MEMORY_REGION(lo, size); }
#endif

#ifdef CASYNCIO_VALGRIND
#include <valgrind/valgrind.h>

/* valgrind numbers stacks from 0: the id kept is one more, 0 meaning none.
 * Whether valgrind runs is asked once (the question costs a few
 * instructions, and stacks come and go with every task). */
bool valgrind_running(void) {
    static int under_valgrind = -1;
    if (under_valgrind < 0) under_valgrind = RUNNING_ON_VALGRIND != 0;
    return under_valgrind;
}

unsigned valgrind_stack_register(void *lo, size_t size) {
    if (!valgrind_running()) return 0;
    return VALGRIND_STACK_REGISTER(lo, (char *)lo + size) + 1u;
}

void valgrind_stack_deregister(unsigned id) {
    if (id) VALGRIND_STACK_DEREGISTER(id - 1u);
}
#endif

#if defined(CASYNCIO_ASAN) || defined(CASYNCIO_VALGRIND)
#ifdef CASYNCIO_VALGRIND
#include <valgrind/memcheck.h>
#endif
/* A shared-stack task's frames are copied out and in while the loop runs on
 * its own stack. AddressSanitizer still holds the poisoned redzones of the
 * frames that were there (the copy would trip on them, and so would the
 * locals of the task copied in), and valgrind counts the stack below the
 * deepest frame it last saw as freed memory, which the copy in writes. Both
 * learn that the bytes are plain memory (valgrind: before a write only, so
 * that the copy keeps what is undefined). The frames entered afterwards
 * poison and register themselves as usual. */
void port_stack_copy_prepare(void *lo, size_t n, bool writing) {
#ifdef CASYNCIO_ASAN
    ASAN_UNPOISON_MEMORY_REGION(lo, n);
#endif
#ifdef CASYNCIO_VALGRIND
    if (writing) VALGRIND_MAKE_MEM_UNDEFINED(lo, n);
#else
    (void)writing;
#endif
}
#endif
