/*
 * The system calls newlib needs, so that printf, malloc and exit work:
 * stdin/stdout/stderr are UART0, the heap is the RAM between .bss and the
 * main stack, and _exit ends the emulation with the program's status.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "../../core/internal.h"
#include "an505.h"

/* Prototypes for the -Wmissing-prototypes builds; newlib declares some. */
int _write(int fd, const char *buf, int n);
int _read(int fd, char *buf, int n);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _lseek(int fd, int offset, int whence);
int _kill(int pid, int sig);
int _getpid(void);
void *_sbrk(ptrdiff_t increment);
_Noreturn void _exit(int status);

extern char __heap_start__[], __heap_end__[];

static int is_console(int fd) { return fd >= 0 && fd <= 2; }

int _write(int fd, const char *buf, int n) {
    if (!is_console(fd)) {
        errno = EBADF;
        return -1;
    }
    an505_uart_write(buf, (size_t)n);
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
        while ((c = an505_uart_getc()) < 0 && got == 0) {
        }
        if (c < 0) break;
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

/* "casyncio: exit N", as on the RP2040, then qemu exits with N. */
_Noreturn void _exit(int status) {
    report("casyncio: exit %d\n", status);
    an505_exit(status);
}

/* newlib's exit() runs the .fini_array through __libc_fini_array, which
 * then calls _fini, the crtn.o epilogue that -nostartfiles leaves out:
 * nothing to do. */
void _fini(void);
void _fini(void) {}
