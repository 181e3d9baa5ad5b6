/*
 * memcpy, memset and strlen for the firmware: short loops instead of
 * newlib's unrolled ones (400 bytes together). memset goes a word at a time
 * once aligned, as painting a task's stack (a few KB at every task
 * creation) is the one big job any of them gets; memcpy only ever moves a
 * few bytes at a time here (.data, task names, queue items, ring
 * buffers), so it copies bytes. The compiler calls memcpy and memset by
 * itself (structure copies, loops it recognises), so every firmware links
 * them.
 *
 * Built with -fno-builtin -fno-tree-loop-distribute-patterns (port.cmake):
 * otherwise the compiler would turn these very loops into calls to
 * themselves.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A word that may alias anything, for the word-at-a-time loop. */
typedef uint32_t __attribute__((may_alias)) word_t;

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    for (; n && ((uintptr_t)d & 3u); n--) *d++ = (unsigned char)c;
    word_t w = (unsigned char)c * 0x01010101u;
    for (; n >= 4u; n -= 4u, d += 4) *(word_t *)d = w;
    while (n--) *d++ = (unsigned char)c;
    return dst;
}

size_t strlen(const char *s) {
    const char *end = s;
    while (*end) end++;
    return (size_t)(end - s);
}
