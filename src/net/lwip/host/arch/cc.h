/*
 * lwIP's platform header for casyncio's host build (Linux, gcc or clang):
 * the types come from <stdint.h> (lwIP's defaults), diagnostics go to
 * stderr, a failed lwIP assertion stops the program, and random numbers
 * (initial sequence numbers, ports, DNS ids) come from rand().
 */
#ifndef CASYNCIO_LWIP_HOST_CC_H
#define CASYNCIO_LWIP_HOST_CC_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h> /* ssize_t, which asyncio_stream.h uses too */

#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX /* tells lwIP's arch.h that ssize_t exists */
#endif

#define LWIP_PLATFORM_DIAG(x)                                                                      \
    do {                                                                                           \
        printf x;                                                                                  \
    } while (0)

#define LWIP_PLATFORM_ASSERT(x)                                                                    \
    do {                                                                                           \
        fprintf(stderr, "lwIP assertion \"%s\" failed at %s:%d\n", x, __FILE__, __LINE__);         \
        abort();                                                                                   \
    } while (0)

#define LWIP_RAND() ((u32_t)rand())

#endif
