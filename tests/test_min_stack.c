/* The smallest stack the library accepts (ASYNCIO_MIN_STACK) runs a task body
 * that calls the C library and takes a signal: the first call of a lazily
 * bound function goes through the dynamic linker's resolver, which saves the
 * whole register state on the task's stack, and a signal handler without an
 * alternate stack gets its frame (the register state again) there too. Both
 * the library's own stacks and a caller's stack of exactly that size; the
 * caller's lies above an inaccessible page, so that an overflow would stop
 * the test with a report naming the task instead of passing unnoticed. */
#define _DEFAULT_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "asyncio.h"
#include "check.h"

static volatile sig_atomic_t signals_taken;

static void on_usr1(int sig) {
    (void)sig;
    signals_taken++;
}

/* What a small task might do: allocate, print, be interrupted by a signal. */
static int uses_the_c_library(void *arg) {
    const char *who = arg;
    char *copy = malloc(64);
    if (!copy) return -ENOMEM;
    strcpy(copy, who);
    int printed = printf("  %s: %d %s %.3f\n", copy, 42, "printf", 2.5);
    free(copy);
    fflush(stdout);
    if (raise(SIGUSR1) != 0) return -errno;
    return printed > 0 ? 0 : -EIO;
}

static int run_min_stack_task(asyncio_task_opts_t *opts) {
    asyncio_loop_t *loop = asyncio_new_event_loop();
    asyncio_set_event_loop(loop);
    asyncio_task_t *t = asyncio_create_task_ex(uses_the_c_library, (void *)opts->name, opts);
    int result = t ? asyncio_loop_run_until_complete(loop, t) : -errno;
    asyncio_loop_close(loop);
    asyncio_set_event_loop(NULL);
    return result;
}

static void test_library_stack_of_minimum_size(void) {
    asyncio_task_opts_t opts = {.name = "smallest", .stack_size = ASYNCIO_MIN_STACK};
    int before = signals_taken;
    CHECK_EQ(run_min_stack_task(&opts), 0);
    CHECK_EQ(signals_taken, before + 1);
}

static void test_caller_stack_of_minimum_size(void) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t span = (ASYNCIO_MIN_STACK + page - 1) / page * page;
    char *base = mmap(NULL, page + span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(base != MAP_FAILED);
    if (base == MAP_FAILED) return;
    CHECK_EQ(mprotect(base, page, PROT_NONE), 0);
    /* the stack's last byte is the mapping's last: it starts ASYNCIO_MIN_STACK below */
    asyncio_task_opts_t opts = {.name = "smallest-caller",
                                .stack = base + page + span - ASYNCIO_MIN_STACK,
                                .stack_size = ASYNCIO_MIN_STACK};
    int before = signals_taken;
    CHECK_EQ(run_min_stack_task(&opts), 0);
    CHECK_EQ(signals_taken, before + 1);
    munmap(base, page + span);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1; /* no SA_ONSTACK: the frame goes on the task's stack */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    RUN(test_caller_stack_of_minimum_size);
    RUN(test_library_stack_of_minimum_size);
    return check_summary();
}
