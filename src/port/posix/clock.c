/* The monotonic clock, in microseconds. */
#define _GNU_SOURCE
#include <time.h>

#include "../port.h"

uint64_t port_now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}
