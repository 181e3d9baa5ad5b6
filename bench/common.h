/* Helpers shared by the casyncio benchmarks: a clock, RSS, a fixed-seed
 * random generator and one JSON line of results on stdout. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds, for elapsed times. */
uint64_t bench_now_ns(void);

/* CPU time of this process (user + system) in nanoseconds: for workloads that
 * never block (virtual time), where it equals the wall-clock time on an idle
 * machine and is not stretched by other processes on a busy one. */
uint64_t bench_cpu_ns(void);

/* Resident set size of this process in bytes (/proc/self/statm). */
size_t bench_rss_bytes(void);

/* A small deterministic generator (splitmix64); same seed, same sequence. */
typedef struct {
    uint64_t state;
} bench_rng_t;
void bench_rng_seed(bench_rng_t *rng, uint64_t seed);
uint32_t bench_rng_below(bench_rng_t *rng, uint32_t bound); /* uniform in [0, bound) */

/* Prints {"key": value, ..., "compiler": "..."} on one line. The arguments
 * are pairs (const char *key, double value) ended by a NULL key. */
void bench_emit(const char *key, ...);

/* Reports a failed call ("what: strerror(-err)") on stderr and exits with 1. */
void bench_fail(const char *what, int err);

#endif
