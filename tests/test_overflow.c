/* A task that overflows its stack is stopped with one line naming it; it
 * never corrupts memory silently. Each case runs in a child process. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
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

static void run_overflowing_task(int which) {
    asyncio_task_opts_t guarded = {.name = "deep-diver"};
    asyncio_task_opts_t caller = {
        .name = "clobber", .stack = small_stack, .stack_size = sizeof small_stack};
    asyncio_loop_t *loop = asyncio_new_event_loop();
    asyncio_set_event_loop(loop);
    asyncio_task_opts_t shared = {.name = "shared-diver", .shared_stack = true};
    asyncio_task_t *t = which == 0   ? asyncio_create_task_ex(deep_diver, NULL, &guarded)
                        : which == 1 ? asyncio_create_task_ex(clobbers_its_limit, NULL, &caller)
                                     : asyncio_create_task_ex(deep_diver, NULL, &shared);
    if (!t) _exit(errno == ENOTSUP ? 3 : 4); /* 3: no shared stacks in this build */
    asyncio_loop_run_until_complete(loop, t);
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
    child_output(0, out, sizeof out, &status);
    CHECK(WIFSIGNALED(status));
    CHECK(strstr(out, "task 'deep-diver' overflowed its 65536-byte stack") != NULL);
    if (!strstr(out, "deep-diver")) fprintf(stderr, "child wrote: %s\n", out);
}

static void test_canary_catches_an_unguarded_overflow(void) {
    char out[4096];
    int status = 0;
    child_output(1, out, sizeof out, &status);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    CHECK(strstr(out, "task 'clobber' overflowed its 16384-byte stack") != NULL);
    if (!strstr(out, "clobber")) fprintf(stderr, "child wrote: %s\n", out);
}

static void test_shared_stack_overflow_names_the_task(void) {
    char out[4096];
    int status = 0;
    child_output(2, out, sizeof out, &status);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 3) return; /* creation said ENOTSUP */
    CHECK(WIFSIGNALED(status));
    CHECK(strstr(out, "task 'shared-diver' overflowed its 262144-byte stack") != NULL);
    if (!strstr(out, "shared-diver")) fprintf(stderr, "child wrote: %s\n", out);
}

int main(void) {
    RUN(test_guard_page_overflow_names_the_task);
    RUN(test_canary_catches_an_unguarded_overflow);
    RUN(test_shared_stack_overflow_names_the_task);
    return check_summary();
}
