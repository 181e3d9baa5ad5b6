/* A task that overflows its stack is stopped with one line naming it; it
 * never corrupts memory silently. Each case runs in a child process. */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "asyncio.h"
#include "check.h"

static volatile int bottomless = 1;

static int dive(int depth) {
    volatile char frame[512];
    frame[0] = (char)depth;
    return bottomless ? dive(depth + 1) + frame[0] : 0;
}

static int deep_diver(void *arg) {
    (void)arg;
    return dive(0);
}

static _Alignas(16) unsigned char small_stack[16 * 1024];

static int clobbers_its_limit(void *arg) {
    (void)arg;
    memset(small_stack, 0, 64); /* what an overflow does to the bottom of the stack */
    return asyncio_yield();
}

/* A frame bigger than a page: its lowest bytes lie past a one-page guard,
 * in whatever is mapped below (another task's stack). */
static int big_frame(void *arg) {
    (void)arg;
    volatile char buf[70000];
    buf[0] = 1;
    buf[sizeof buf - 1] = 1;
    return buf[0] + buf[sizeof buf - 1];
}

static int sleeper(void *arg) {
    (void)arg;
    return asyncio_sleep_ms(100);
}

/* A caller-provided stack above an inaccessible page: a deep call faults. */
static void *fenced_stack(size_t size) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *base =
        mmap(NULL, page + size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED || mprotect(base, page, PROT_NONE) != 0) return NULL;
    return base + page;
}

enum {
    DEEP_DIVER,
    CLOBBER,
    BIG_FRAME,          /* 70,000-byte local on a 64 KiB stack */
    BIG_FRAME_THREAD,   /* the same, the loop running in another thread */
    CALLER_STACK_DIVER, /* recursion on a caller-provided stack */
    SHARED_DIVER,       /* recursion on the shared stack */
    DIVER_AMONG_MANY,   /* recursion on a stack made after 200 others */
};

static asyncio_loop_t *thread_loop;
static asyncio_task_t *thread_task;

static void *run_loop_in_thread(void *arg) {
    (void)arg;
    asyncio_loop_run_until_complete(thread_loop, thread_task);
    return NULL;
}

static void run_overflowing_task(int which) {
    asyncio_task_opts_t guarded = {.name = "deep-diver"};
    asyncio_task_opts_t caller = {
        .name = "clobber", .stack = small_stack, .stack_size = sizeof small_stack};
    asyncio_task_opts_t big = {.name = "big-frame", .stack_size = 64 * 1024};
    asyncio_task_opts_t fenced = {
        .name = "fenced-diver", .stack = fenced_stack(64 * 1024), .stack_size = 64 * 1024};
    asyncio_task_opts_t shared = {.name = "shared-diver", .shared_stack = true};
    asyncio_loop_t *loop = asyncio_new_event_loop();
    asyncio_set_event_loop(loop);
    asyncio_task_t *t = NULL;
    switch (which) {
    case DEEP_DIVER:
        t = asyncio_create_task_ex(deep_diver, NULL, &guarded);
        break;
    case CLOBBER:
        t = asyncio_create_task_ex(clobbers_its_limit, NULL, &caller);
        break;
    case BIG_FRAME:
    case BIG_FRAME_THREAD:
        /* a neighbour first: its stack lies right below the big frame's */
        asyncio_task_detach(asyncio_create_task_ex(sleeper, NULL, &big));
        t = asyncio_create_task_ex(big_frame, NULL, &big);
        break;
    case CALLER_STACK_DIVER:
        t = asyncio_create_task_ex(deep_diver, NULL, &fenced);
        break;
    case DIVER_AMONG_MANY: /* stacks of a burst are made in bulk: each keeps its guard */
        for (int i = 0; i < 200; i++) asyncio_task_detach(asyncio_create_task(sleeper, NULL));
        t = asyncio_create_task_ex(deep_diver, NULL, &guarded);
        break;
    case SHARED_DIVER:
        t = asyncio_create_task_ex(deep_diver, NULL, &shared);
        if (!t) _exit(errno == ENOTSUP ? 3 : 4); /* 3: no shared stacks in this build */
        break;
    }
    if (which == BIG_FRAME_THREAD) { /* stacks made here, the tasks run there */
        pthread_t thread;
        thread_loop = loop;
        thread_task = t;
        pthread_create(&thread, NULL, run_loop_in_thread, NULL);
        pthread_join(thread, NULL);
    } else {
        asyncio_loop_run_until_complete(loop, t);
    }
    _exit(0); /* not reached */
}

/* Runs case `which` in a child; returns what it wrote to stderr. */
static void child_output(int which, char *out, size_t cap, int *status) {
    int fds[2];
    if (pipe(fds) != 0) return;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        run_overflowing_task(which);
    }
    close(fds[1]);
    size_t len = 0;
    ssize_t n;
    while (len + 1 < cap && (n = read(fds[0], out + len, cap - 1 - len)) > 0) len += (size_t)n;
    out[len] = 0;
    close(fds[0]);
    waitpid(pid, status, 0);
}

static void test_guard_page_overflow_names_the_task(void) {
    char out[4096];
    int status = 0;
    child_output(DEEP_DIVER, out, sizeof out, &status);
    CHECK(WIFSIGNALED(status));
    CHECK(strstr(out, "task 'deep-diver' overflowed its 65536-byte stack") != NULL);
    if (!strstr(out, "deep-diver")) fprintf(stderr, "child wrote: %s\n", out);
}

static void test_canary_catches_an_unguarded_overflow(void) {
    char out[4096];
    int status = 0;
    child_output(CLOBBER, out, sizeof out, &status);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    CHECK(strstr(out, "task 'clobber' overflowed its 16384-byte stack") != NULL);
    if (!strstr(out, "clobber")) fprintf(stderr, "child wrote: %s\n", out);
}

/* The child must stop with one line naming the task, not go on corrupting
 * its neighbour or die of a bare SIGSEGV. */
static void check_reported(int which, const char *line) {
    char out[4096];
    int status = 0;
    child_output(which, out, sizeof out, &status);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    CHECK(strstr(out, line) != NULL);
    if (!strstr(out, line)) fprintf(stderr, "child wrote: %s\n", out);
}

static void test_frame_bigger_than_a_page_is_caught(void) {
    check_reported(BIG_FRAME, "task 'big-frame' overflowed its 65536-byte stack");
}

static void test_overflow_reported_on_another_thread(void) {
    check_reported(BIG_FRAME_THREAD, "task 'big-frame' overflowed its 65536-byte stack");
}

static void test_caller_stack_overflow_reported(void) {
    check_reported(CALLER_STACK_DIVER, "task 'fenced-diver' overflowed its 65536-byte stack");
}

static void test_overflow_among_many_tasks_names_the_task(void) {
    char out[4096];
    int status = 0;
    child_output(DIVER_AMONG_MANY, out, sizeof out, &status);
    CHECK(WIFSIGNALED(status));
    CHECK(strstr(out, "task 'deep-diver' overflowed its 65536-byte stack") != NULL);
    if (!strstr(out, "deep-diver")) fprintf(stderr, "child wrote: %s\n", out);
}

static void test_shared_stack_overflow_names_the_task(void) {
    char out[4096];
    int status = 0;
    child_output(SHARED_DIVER, out, sizeof out, &status);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 3) return; /* creation said ENOTSUP */
    CHECK(WIFSIGNALED(status));
    CHECK(strstr(out, "task 'shared-diver' overflowed its 262144-byte stack") != NULL);
    if (!strstr(out, "shared-diver")) fprintf(stderr, "child wrote: %s\n", out);
}

int main(void) {
    RUN(test_guard_page_overflow_names_the_task);
    RUN(test_canary_catches_an_unguarded_overflow);
    RUN(test_frame_bigger_than_a_page_is_caught);
    RUN(test_overflow_reported_on_another_thread);
    RUN(test_caller_stack_overflow_reported);
    RUN(test_overflow_among_many_tasks_names_the_task);
    RUN(test_shared_stack_overflow_names_the_task);
    return check_summary();
}
