/*
 * The system calls this port adds to ../cortex-m/newlib_syscalls.c's for
 * the full newlib: the heap for its malloc (the 16 MB PSRAM, an505.ld),
 * and the _fini its exit() calls.
 */
#include <errno.h>
#include <stddef.h>

/* Prototypes for the -Wmissing-prototypes builds. */
void *_sbrk(ptrdiff_t increment);
void _fini(void);

extern char __heap_start__[], __heap_end__[];

/* newlib's malloc grows its arena through this. */
void *_sbrk(ptrdiff_t increment) {
    static char *brk = __heap_start__;
    if (increment > __heap_end__ - brk || increment < __heap_start__ - brk) {
        errno = ENOMEM;
        return (void *)-1;
    }
    char *old = brk;
    brk += increment;
    return old;
}

/* newlib's exit() runs the .fini_array through __libc_fini_array, which
 * then calls _fini, the crtn.o epilogue that -nostartfiles leaves out:
 * nothing to do. */
void _fini(void) {}
