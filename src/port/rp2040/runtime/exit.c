/*
 * How a firmware ends, and errno: exit(), _exit()'s cortexm_exit and
 * abort() stop the CPU after saying so on the console. newlib's other
 * system calls are ../../cortex-m/newlib_syscalls.c's, the heap is
 * malloc.c's.
 *
 * newlib_syscalls.c's _exit calls cortexm_exit, so this object is always
 * linked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/reent.h>

#include "../../cortex-m/cortexm.h"

/* Prototypes for the -Wmissing-prototypes builds; newlib declares some. */
_Noreturn void _exit(int status);
_Noreturn void abort(void);

/* "casyncio: exit N" is also how the emulator runner learns the status. */
_Noreturn void cortexm_exit(int status) { cortexm_fatal("casyncio: exit %d\n", status); }

/* newlib's abort() raises SIGABRT through its signal emulation (about 600
 * bytes of flash); on a board there is nobody to catch it. */
_Noreturn void abort(void) { cortexm_fatal("\ncasyncio: abort\n"); }

/* newlib keeps errno in its reentrancy structure (_impure_ptr), about 100
 * bytes of RAM that only its stdio needs. That structure is referenced
 * weakly here: a firmware that links stdio gets errno in it, as newlib's own
 * functions expect; one that does not gets a plain int. */
#pragma weak _impure_ptr
int *__errno(void) {
    static int plain_errno;
    return &_impure_ptr ? &_impure_ptr->_errno : &plain_errno;
}

/* Nothing to run; atexit.c's, when the firmware registers handlers. */
void rp2040_atexit_run(void) __attribute__((weak));
void rp2040_atexit_run(void) {}
/* newlib's, when the firmware uses stdio. */
#pragma weak fflush

/* exit() without newlib's (whose reference to the reentrancy structure
 * would link it into every firmware): the atexit handlers in reverse order,
 * the stdio buffers, then _exit. */
_Noreturn void exit(int status) {
    rp2040_atexit_run();
    if (fflush) {
        fflush(NULL);
    }
    _exit(status);
}
