/*
 * A minimal test harness: CHECK macros that report the failing line and go
 * on, and a main() helper that prints "N passed, N failed".
 */
#ifndef CASYNCIO_CHECK_H
#define CASYNCIO_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures, check_cases, check_failed_cases;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(actual, expected)                                                                 \
    do {                                                                                           \
        long long a_ = (long long)(actual), e_ = (long long)(expected);                            \
        if (a_ != e_) {                                                                            \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__,        \
                    #actual, a_, #expected, e_);                                                   \
        }                                                                                          \
    } while (0)

#define CHECK_STR(actual, expected)                                                                \
    do {                                                                                           \
        const char *a_ = (actual), *e_ = (expected);                                               \
        if (!a_ || strcmp(a_, e_) != 0) {                                                          \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #actual, \
                    a_ ? a_ : "(null)", e_);                                                       \
        }                                                                                          \
    } while (0)

static inline void check_run(const char *name, void (*fn)(void)) {
    int before = check_failures;
    fn();
    check_cases++;
    if (check_failures != before) {
        check_failed_cases++;
        fprintf(stderr, "FAIL %s\n", name);
    } else {
        printf("ok   %s\n", name);
    }
}

#define RUN(fn) check_run(#fn, fn)

static inline int check_summary(void) {
    printf("%d passed, %d failed\n", check_cases - check_failed_cases, check_failed_cases);
    return check_failed_cases ? 1 : 0;
}

/* Most tests run on a loop with virtual time: sleeps take no wall time and
 * every wake-up happens at exactly its deadline. */
#ifdef ASYNCIO_H
static inline asyncio_loop_t *virtual_loop(void) {
    asyncio_loop_opts_t opts = {.virtual_time = true};
    asyncio_loop_t *loop = asyncio_new_event_loop_ex(&opts);
    if (!loop) {
        fprintf(stderr, "cannot create a loop\n");
        exit(2);
    }
    return loop;
}

/* Runs fn(arg) as a task on a fresh virtual-time loop, closes the loop, and
 * returns the task's result. */
static inline int run_virtual(asyncio_coro_fn fn, void *arg) {
    asyncio_loop_t *loop = virtual_loop();
    int result = asyncio_loop_run_until_complete(loop, asyncio_loop_create_task(loop, fn, arg));
    asyncio_loop_close(loop);
    return result;
}
#endif

#endif
