/* Debug aids: asyncio_dump_tasks, the slow-step warning, the check for a
 * timeout scope left behind. */
#define _DEFAULT_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "asyncio.h"
#include "check.h"

static int napper(void *arg) {
    (void)arg;
    return asyncio_sleep(5.0);
}

static int dumper(void *arg) {
    char **text = arg;
    asyncio_task_opts_t opts = {.name = "napper", .stack_size = 128 * 1024};
    asyncio_task_t *t = asyncio_create_task_ex(napper, NULL, &opts);
    asyncio_sleep_ms(1); /* napper is now asleep until 5 s */
    size_t len = 0;
    FILE *out = open_memstream(text, &len);
    asyncio_dump_tasks(out);
    fclose(out);
    asyncio_task_cancel(t);
    return asyncio_await(t);
}

static void test_dump_lists_every_task(void) {
    char *text = NULL;
    asyncio_loop_t *loop = virtual_loop();
    asyncio_set_event_loop(loop);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, asyncio_create_task(dumper, &text)), -ECANCELED);
    asyncio_loop_close(loop);
    CHECK(text && strstr(text, "napper") != NULL);
    CHECK(text && strstr(text, "waiting") != NULL);
    CHECK(text && strstr(text, "5000000") != NULL); /* its wake time */
    CHECK(text && strstr(text, "131072") != NULL);  /* its stack size */
    CHECK(text && strstr(text, "task-1") != NULL && strstr(text, "running") != NULL);
    free(text);
}

/* The watcher thread looks at the loop a few times per threshold; under
 * valgrind, which runs one thread at a time, it gets far fewer turns. */
static long busy_ms(void) { return getenv("CASYNCIO_UNDER_VALGRIND") ? 1000 : 200; }

static int busy(void *arg) {
    (void)arg;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do clock_gettime(CLOCK_MONOTONIC, &now);
    while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 <
           busy_ms());
    return asyncio_yield();
}

/* Runs a task that computes for busy_ms() without yielding; returns stderr. */
static void capture_slow_step(uint32_t threshold_ms, char *out, size_t cap) {
    FILE *tmp = tmpfile();
    int saved = dup(STDERR_FILENO);
    dup2(fileno(tmp), STDERR_FILENO);
    asyncio_loop_t *loop = asyncio_new_event_loop();
    asyncio_loop_set_slow_task_threshold_ms(loop, threshold_ms);
    asyncio_task_opts_t opts = {.name = "cruncher"};
    asyncio_set_event_loop(loop);
    asyncio_loop_run_until_complete(loop, asyncio_create_task_ex(busy, NULL, &opts));
    asyncio_loop_close(loop);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(tmp);
    size_t n = fread(out, 1, cap - 1, tmp);
    out[n] = 0;
    fclose(tmp);
}

static void test_slow_step_warning_names_the_task(void) {
    char out[512];
    capture_slow_step(20, out, sizeof out);
    CHECK(strstr(out, "casyncio: task 'cruncher' ran ") != NULL);
    CHECK(strstr(out, " ms without yielding\n") != NULL);
    capture_slow_step(0, out, sizeof out); /* 0 disables */
    CHECK(strstr(out, "cruncher") == NULL);
    capture_slow_step(10000, out, sizeof out);
    CHECK(strstr(out, "cruncher") == NULL);
}

/* A scope entered in a function that returns without asyncio_timeout_exit
 * is caught at the task's next suspending call: one line naming the task,
 * then the program stops (in a child process here). */
static void __attribute__((noinline)) forgets_to_exit(void) {
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 1000);
}

static int forgetful(void *arg) {
    (void)arg;
    forgets_to_exit();
    return asyncio_sleep_ms(1);
}

static void test_a_scope_left_behind_is_reported(void) {
    int fds[2];
    CHECK(pipe(fds) == 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        asyncio_loop_t *loop = virtual_loop();
        asyncio_set_event_loop(loop);
        asyncio_task_opts_t opts = {.name = "forgetful"};
        asyncio_loop_run_until_complete(loop, asyncio_create_task_ex(forgetful, NULL, &opts));
        _exit(0); /* not reached */
    }
    close(fds[1]);
    char out[1024];
    size_t len = 0;
    ssize_t n;
    while (len + 1 < sizeof out && (n = read(fds[0], out + len, sizeof out - 1 - len)) > 0)
        len += (size_t)n;
    out[len] = 0;
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    CHECK(strstr(out, "casyncio: task 'forgetful' left a timeout scope behind") != NULL);
    if (!strstr(out, "forgetful")) fprintf(stderr, "child wrote: %s\n", out);
}

int main(void) {
    /* First: it forks, which qemu-user cannot do once a thread runs. */
    RUN(test_a_scope_left_behind_is_reported);
    RUN(test_dump_lists_every_task);
    RUN(test_slow_step_warning_names_the_task);
    return check_summary();
}
