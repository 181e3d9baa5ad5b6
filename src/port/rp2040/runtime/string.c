/*
 * memcpy, memset and strlen for the firmware: short loops instead of
 * newlib's unrolled ones (400 bytes together), a byte at a time. They only
 * ever move or fill a few hundred bytes here (.data, .bss, loop and task
 * records, task names, queue items, ring buffers); the one big job, painting
 * a task's stack, is a word loop of its own (cortex-m/port_stack.c). The
 * compiler calls memcpy and memset by itself (structure copies, loops it
 * recognises), so every firmware links them.
 *
 * Built with -fno-builtin -fno-tree-loop-distribute-patterns (port.cmake):
 * otherwise the compiler would turn these very loops into calls to
 * themselves.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    while (n--) *d++ = (unsigned char)c;
    return dst;
}

size_t strlen(const char *s) {
    const char *end = s;
    while (*end) end++;
    return (size_t)(end - s);
}
