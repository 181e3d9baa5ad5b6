/*
 * The system calls newlib needs, so that printf, scanf and exit work:
 * stdin, stdout and stderr are the port's console (port_console_write(),
 * cortexm_console_getc()), there are no files, and _exit is the port's
 * cortexm_exit(). Where the heap comes from stays with each port.
 *
 * The reset handler's exit() ends in _exit, so this object is always
 * linked (cortex-m.cmake pulls it with -u _exit), and its system calls are
 * there for newlib's stdio whenever a firmware uses it.
 */
#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>

#include "../port.h"
#include "cortexm.h"

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

static int is_console(int fd) { return fd >= 0 && fd <= 2; }

int _write(int fd, const char *buf, int n) {
    if (!is_console(fd)) {
        errno = EBADF;
        return -1;
    }
    port_console_write(buf, (size_t)n);
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
        while ((c = cortexm_console_getc()) < 0 && got == 0) {
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

_Noreturn void _exit(int status) { cortexm_exit(status); }
