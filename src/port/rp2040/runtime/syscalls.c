/*
 * The system calls newlib needs, so that printf and exit work:
 * stdin/stdout/stderr are UART0, and exit stops the CPU after saying so on
 * the console. The heap is malloc.c's.
 *
 * The reset handler calls exit(), so this object is always linked, and its
 * system calls are there for newlib's stdio whenever a firmware uses it.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/reent.h>
#include <sys/stat.h>

#include "../../../drivers/rp2/uart.h"
#include "runtime.h"

/* Prototypes for the -Wmissing-prototypes builds; newlib declares some. */
int _write(int fd, const char *buf, int n);
int _read(int fd, char *buf, int n);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _lseek(int fd, int offset, int whence);
int _kill(int pid, int sig);
int _getpid(void);
_Noreturn void _exit(int status);
_Noreturn void abort(void);

static int is_console(int fd) { return fd >= 0 && fd <= 2; }

int _write(int fd, const char *buf, int n) {
    if (!is_console(fd)) {
        errno = EBADF;
        return -1;
    }
    rp2_uart_write(buf, (size_t)n);
    return n;
}

/* Blocks for the first byte, then returns what has already arrived. */
int _read(int fd, char *buf, int n) {
    if (!is_console(fd)) {
        errno = EBADF;
        return -1;
    }
    int got = 0, c;
    while (got < n) {
        while ((c = rp2_uart_getc()) < 0 && got == 0) {
        }
        if (c < 0) {
            break;
        }
        buf[got++] = (char)c;
    }
    return got;
}

int _close(int fd) {
    (void)fd;
    return 0;
}

int _fstat(int fd, struct stat *st) {
    (void)fd;
    st->st_mode = S_IFCHR;
    return 0;
}

int _isatty(int fd) { return is_console(fd); }

int _lseek(int fd, int offset, int whence) {
    (void)fd;
    (void)offset;
    (void)whence;
    return 0;
}

int _kill(int pid, int sig) {
    (void)pid;
    (void)sig;
    errno = EINVAL;
    return -1;
}

int _getpid(void) { return 1; }

/* "casyncio: exit N" is also how the emulator runner learns the status. */
_Noreturn void _exit(int status) { rp2040_fatal("casyncio: exit %d\n", status); }

/* newlib's abort() raises SIGABRT through its signal emulation (about 600
 * bytes of flash); on a board there is nobody to catch it. */
_Noreturn void abort(void) { rp2040_fatal("\ncasyncio: abort\n"); }

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
