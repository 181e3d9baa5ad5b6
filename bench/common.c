#define _POSIX_C_SOURCE 200809L
#include "common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_build.h" /* BENCH_CFLAGS, BENCH_SWITCH: written by bench/CMakeLists.txt */

#if defined(__clang__)
#define BENCH_COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define BENCH_COMPILER "gcc " __VERSION__
#else
#define BENCH_COMPILER "unknown compiler"
#endif

uint64_t bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t bench_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

size_t bench_rss_bytes(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    if (f == NULL) bench_fail("/proc/self/statm", -errno);
    if (fscanf(f, "%lu %lu", &size, &resident) != 2) bench_fail("/proc/self/statm", -EIO);
    fclose(f);
    return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

void bench_rng_seed(bench_rng_t *rng, uint64_t seed) { rng->state = seed; }

uint32_t bench_rng_below(bench_rng_t *rng, uint32_t bound) {
    uint64_t z = (rng->state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return (uint32_t)((z >> 32) * bound >> 32);
}

void bench_emit(const char *key, ...) {
    va_list ap;
    va_start(ap, key);
    printf("{");
    for (; key != NULL; key = va_arg(ap, const char *))
        printf("\"%s\": %.6f, ", key, va_arg(ap, double));
    va_end(ap);
    printf("\"compiler\": \"%s\", \"cflags\": \"%s\", \"switch\": \"%s\"}\n", BENCH_COMPILER,
           BENCH_CFLAGS, BENCH_SWITCH);
    fflush(stdout);
}

void bench_fail(const char *what, int err) {
    fprintf(stderr, "bench: %s: %s\n", what, err < 0 ? strerror(-err) : "failed");
    exit(1);
}
