/*
 * memcpy, memset and strlen for the firmware: short loops instead of
 * newlib's unrolled ones (about 400 bytes together), still a word at a time
 * where it counts (painting a task's stack, copying .data, moving buffers).
 * The compiler calls memcpy and memset by itself (structure copies, loops
 * it recognises), so every firmware links them.
 *
 * Built with -fno-tree-loop-distribute-patterns (port.cmake): otherwise the
 * compiler would turn these very loops into calls to themselves.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A word that may alias anything, for the word-at-a-time loops. */
typedef uint32_t __attribute__((may_alias)) word_t;

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d ^ (uintptr_t)s) & 3u) == 0) { /* can both be word aligned */
        for (; n && ((uintptr_t)d & 3u); n--) *d++ = *s++;
        for (; n >= 4u; n -= 4u, d += 4, s += 4) *(word_t *)d = *(const word_t *)s;
    }
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
