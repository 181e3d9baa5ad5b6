/* The loop: running and stopping, callbacks, the exception handler, closing. */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asyncio.h"
#include "asyncio_stream.h"
#include "check.h"

static char order[32];
static size_t order_len;
static void note(void *arg) { order[order_len++] = *(const char *)arg; }

static int note_task(void *arg) {
    note(arg);
    return 0;
}

static void stop_cb(void *loop) { asyncio_loop_stop(loop); }

static void test_call_soon_and_tasks_share_one_fifo(void) {
    asyncio_loop_t *loop = virtual_loop();
    order_len = 0;
    asyncio_loop_call_soon(loop, note, "a");
    asyncio_task_detach(asyncio_loop_create_task(loop, note_task, "b"));
    asyncio_loop_call_soon(loop, note, "c");
    asyncio_task_detach(asyncio_loop_create_task(loop, note_task, "d"));
    asyncio_loop_call_soon(loop, stop_cb, loop);
    asyncio_loop_run_forever(loop);
    order[order_len] = 0;
    CHECK_STR(order, "abcd");
    asyncio_loop_close(loop);
}

static void test_call_later_fires_in_deadline_order(void) {
    asyncio_loop_t *loop = virtual_loop();
    order_len = 0;
    asyncio_loop_call_later_ms(loop, 30, note, "3");
    asyncio_loop_call_later_ms(loop, 10, note, "1");
    asyncio_loop_call_later_ms(loop, 20, note, "2");
    asyncio_loop_call_later_ms(loop, 20, note, "b"); /* same deadline: after "2" */
    asyncio_loop_call_later_ms(loop, 40, stop_cb, loop);
    asyncio_loop_run_forever(loop);
    order[order_len] = 0;
    CHECK_STR(order, "12b3");
    CHECK_EQ(asyncio_loop_time_us(loop), 40000);
    asyncio_loop_close(loop);
}

static int forever(void *arg) {
    int *unwound = arg;
    while (asyncio_sleep(1.0) == 0) {
    }
    *unwound = 1; /* cancelled at close: cleans up and ends */
    return 0;
}

static void test_run_forever_stop_and_close_unwinds(void) {
    asyncio_loop_t *loop = virtual_loop();
    int unwound = 0;
    asyncio_task_t *t = asyncio_loop_create_task(loop, forever, &unwound);
    asyncio_loop_call_later_ms(loop, 3500, stop_cb, loop);
    asyncio_loop_run_forever(loop);
    CHECK_EQ(asyncio_loop_time_us(loop), 3500000);
    CHECK(!asyncio_task_done(t));
    asyncio_loop_close(loop); /* frees t too */
    CHECK_EQ(unwound, 1);
}

static int sleeps_long(void *arg) {
    (void)arg;
    return asyncio_sleep(100.0);
}

static void test_run_until_complete_interrupted_by_stop(void) {
    asyncio_loop_t *loop = virtual_loop();
    asyncio_task_t *t = asyncio_loop_create_task(loop, sleeps_long, NULL);
    asyncio_loop_call_later_ms(loop, 10, stop_cb, loop);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, t), -EINTR);
    CHECK(!asyncio_task_done(t)); /* not consumed: run it again */
    CHECK_EQ(asyncio_loop_run_until_complete(loop, t), 0);
    CHECK_EQ(asyncio_loop_time_us(loop), 100000000);
    asyncio_loop_close(loop);
}

static asyncio_event_t never_set = ASYNCIO_EVENT_INIT;
static int waits_forever(void *arg) {
    (void)arg;
    return asyncio_event_wait(&never_set);
}

static void test_deadlock_is_reported_in_virtual_time(void) {
    asyncio_loop_t *loop = virtual_loop();
    asyncio_task_t *t = asyncio_loop_create_task(loop, waits_forever, NULL);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, t), -EDEADLK);
    asyncio_loop_close(loop); /* cancels it */
}

static int failed_name_calls;
static int seen_error;
static char seen_name[32];
static void on_exception(asyncio_loop_t *loop, asyncio_task_t *task, int error, void *ctx) {
    (void)loop;
    (void)ctx;
    failed_name_calls++;
    seen_error = error;
    snprintf(seen_name, sizeof seen_name, "%s", asyncio_task_name(task));
}

static int fails(void *arg) {
    (void)arg;
    asyncio_sleep_ms(1);
    return -ECONNRESET;
}
static int cancelled_quietly(void *arg) {
    (void)arg;
    return asyncio_sleep(10.0);
}

static void test_unretrieved_failure_reported_once(void) {
    asyncio_loop_t *loop = virtual_loop();
    asyncio_loop_set_exception_handler(loop, on_exception, NULL);
    failed_name_calls = 0;
    asyncio_task_opts_t opts = {.name = "uplink"};
    asyncio_set_event_loop(loop);
    asyncio_task_detach(asyncio_create_task_ex(fails, NULL, &opts));
    asyncio_task_t *quiet = asyncio_loop_create_task(loop, cancelled_quietly, NULL);
    asyncio_task_t *kept =
        asyncio_loop_create_task(loop, fails, NULL); /* joinable, never consumed */
    asyncio_loop_call_later_ms(loop, 5, stop_cb, loop);
    asyncio_loop_run_forever(loop);
    CHECK_EQ(failed_name_calls, 1); /* the detached one, once */
    CHECK_STR(seen_name, "uplink");
    CHECK_EQ(seen_error, -ECONNRESET);
    asyncio_task_cancel(quiet);
    (void)kept;
    asyncio_loop_close(loop); /* kept is freed unconsumed: reported; quiet is -ECANCELED: not */
    CHECK_EQ(failed_name_calls, 2);
    CHECK_STR(seen_name, "task-3");
}

static asyncio_loop_t *threadsafe_loop;
static int threadsafe_calls;
static void count_call(void *arg) {
    (void)arg;
    if (++threadsafe_calls == 100) asyncio_loop_stop(threadsafe_loop);
}

static void *call_from_thread(void *arg) {
    (void)arg;
    for (int i = 0; i < 100; i++) {
        while (asyncio_loop_call_soon_threadsafe(threadsafe_loop, count_call, NULL) == -EAGAIN)
            usleep(100);
    }
    return NULL;
}

static void test_call_soon_threadsafe_wakes_a_sleeping_loop(void) {
    threadsafe_loop = asyncio_new_event_loop(); /* real time: the loop blocks in the poller */
    threadsafe_calls = 0;
    pthread_t th;
    pthread_create(&th, NULL, call_from_thread, NULL);
    asyncio_loop_run_forever(threadsafe_loop);
    pthread_join(th, NULL);
    CHECK_EQ(threadsafe_calls, 100);
    asyncio_loop_close(threadsafe_loop);
}

static void test_closed_loop_refuses_work(void) {
    asyncio_loop_t *loop = virtual_loop();
    asyncio_loop_close(loop);
    /* The handle stays valid after close: every call fails cleanly. */
    CHECK_EQ(asyncio_loop_call_soon(loop, note, "x"), -EINVAL);
    CHECK_EQ(asyncio_loop_call_later_ms(loop, 1, note, "x"), -EINVAL);
    CHECK_EQ(asyncio_loop_call_soon_threadsafe(loop, note, "x"), -EINVAL);
    errno = 0;
    CHECK(asyncio_loop_create_task(loop, note_task, "x") == NULL);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, NULL), -EINVAL);
    asyncio_loop_run_forever(loop); /* returns at once */
    asyncio_loop_stop(loop);
    asyncio_loop_close(loop); /* twice: nothing happens */
    CHECK_EQ(asyncio_loop_call_soon(NULL, note, "x"), -EINVAL);
    asyncio_loop_t *open = virtual_loop();
    CHECK_EQ(asyncio_loop_call_soon(open, NULL, NULL), -EINVAL);
    asyncio_loop_close(open);
}

static int main_with_leftovers(void *arg) {
    int *unwound = arg;
    asyncio_task_detach(asyncio_create_task(forever, unwound));
    asyncio_create_task(forever, unwound + 1); /* joinable, never awaited */
    asyncio_yield();
    return 11;
}

static void test_asyncio_run_cancels_leftovers(void) {
    int unwound[2] = {0, 0};
    CHECK_EQ(asyncio_run(main_with_leftovers, unwound), 11);
    CHECK_EQ(unwound[0], 1);
    CHECK_EQ(unwound[1], 1);
    CHECK_EQ(asyncio_run(NULL, NULL), -EINVAL);
}

static int inside(void *arg) {
    asyncio_loop_t *loop = arg;
    CHECK(asyncio_get_event_loop() == loop); /* the running loop */
    asyncio_loop_run_forever(loop);          /* nested: returns at once */
    CHECK_EQ(asyncio_loop_run_until_complete(loop, NULL), -EPERM);
    asyncio_loop_close(loop); /* from inside a task: does nothing */
    return asyncio_sleep_ms(2);
}

static void test_loop_calls_from_inside_a_task(void) {
    asyncio_loop_t *loop = virtual_loop();
    CHECK_EQ(asyncio_loop_run_until_complete(loop, asyncio_loop_create_task(loop, inside, loop)),
             0);
    CHECK_EQ(asyncio_loop_time_us(loop), 2000);
    asyncio_loop_close(loop);
}

static void test_default_loop_reads_virtual_time_from_env(void) {
    asyncio_set_event_loop(NULL);
    setenv("ASYNCIO_VIRTUAL_TIME", "1", 1);
    asyncio_loop_t *loop = asyncio_get_event_loop();
    CHECK(loop != NULL);
    CHECK(asyncio_get_event_loop() == loop);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, asyncio_create_task(sleeps_long, NULL)), 0);
    CHECK_EQ(asyncio_ticks_us(), 100000000); /* a hundred seconds, instantly */
    CHECK_EQ(asyncio_ticks_ms(), 100000);
    asyncio_loop_close(loop);
    unsetenv("ASYNCIO_VIRTUAL_TIME");
}

/* run_until_complete takes the task over: while it runs, no other call may
 * consume the task (the second consumer gets -EINVAL and nothing happens). */
static asyncio_task_t *run_target;
static int sleeps_10ms(void *arg) {
    (void)arg;
    return asyncio_sleep_ms(10) == 0 ? 5 : -1;
}
static int second_consumer(void *arg) {
    (void)arg;
    int awaited = asyncio_await(run_target);
    asyncio_task_t *both[1] = {run_target};
    int gathered = asyncio_gather(both, 1, NULL, 0);
    int waited = asyncio_wait_for_ms(run_target, 100);
    asyncio_task_detach(run_target); /* no effect either */
    return awaited == -EINVAL && gathered == -EINVAL && waited == -EINVAL ? 1 : 0;
}

static void test_run_until_complete_takes_the_task_over(void) {
    asyncio_loop_t *loop = virtual_loop();
    run_target = asyncio_loop_create_task(loop, sleeps_10ms, NULL);
    asyncio_task_t *w = asyncio_loop_create_task(loop, second_consumer, NULL);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, run_target), 5);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, w), 1);
    asyncio_loop_close(loop);
}

/* Interrupted by stop, run_until_complete gives the task back: it may then
 * be consumed by another call. */
static int awaits_run_target(void *arg) {
    (void)arg;
    return asyncio_await(run_target);
}

static void test_run_until_complete_interrupted_gives_the_task_back(void) {
    asyncio_loop_t *loop = virtual_loop();
    run_target = asyncio_loop_create_task(loop, sleeps_10ms, NULL);
    asyncio_loop_call_later_ms(loop, 1, stop_cb, loop);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, run_target), -EINTR);
    CHECK_EQ(asyncio_loop_run_until_complete(
                 loop, asyncio_loop_create_task(loop, awaits_run_target, NULL)),
             5);
    asyncio_loop_close(loop);
}

/* A task that, cancelled by close, uncancels itself to clean up runs on:
 * close cancels each task once, and waits for it. */
static int cleanup_sleep_result = 1;
static uint64_t cleanup_done_at;
static int cleans_up_at_close(void *arg) {
    (void)arg;
    if (asyncio_sleep(100.0) != -ECANCELED) return -1;
    asyncio_task_uncancel(asyncio_current_task());
    cleanup_sleep_result = asyncio_sleep_ms(20); /* the clean-up takes time */
    cleanup_done_at = asyncio_ticks_us();
    return 0;
}

static void test_close_lets_an_uncancelled_task_clean_up(void) {
    asyncio_loop_t *loop = virtual_loop();
    asyncio_task_detach(asyncio_loop_create_task(loop, cleans_up_at_close, NULL));
    asyncio_loop_call_later_ms(loop, 10, stop_cb, loop);
    asyncio_loop_run_forever(loop);
    cleanup_done_at = 0;
    asyncio_loop_close(loop);
    CHECK_EQ(cleanup_sleep_result, 0);
    CHECK_EQ(cleanup_done_at, 30000);
}

/* ASYNCIO_VIRTUAL_TIME=1 applies to every loop the program does not
 * configure itself: asyncio_run's, asyncio_new_event_loop()'s. */
static int sleeps_an_hour(void *arg) {
    (void)arg;
    int r = asyncio_sleep(3600.0);
    return r ? r : (int)(asyncio_ticks_us() / 1000000u);
}

static void test_asyncio_run_reads_virtual_time_from_env(void) {
    setenv("ASYNCIO_VIRTUAL_TIME", "1", 1);
    CHECK_EQ(asyncio_run(sleeps_an_hour, NULL), 3600); /* an hour, instantly */
    asyncio_loop_t *loop = asyncio_new_event_loop();
    CHECK_EQ(
        asyncio_loop_run_until_complete(loop, asyncio_loop_create_task(loop, sleeps_an_hour, NULL)),
        3600);
    asyncio_loop_close(loop);
    asyncio_loop_opts_t real = {.virtual_time = false}; /* configured: real time */
    loop = asyncio_new_event_loop_ex(&real);
    usleep(2000);
    CHECK(asyncio_loop_time_us(loop) >= 2000); /* a virtual clock would stand at 0 */
    asyncio_loop_close(loop);
    unsetenv("ASYNCIO_VIRTUAL_TIME");
}

/* The exception handler runs on the loop's own stack, outside any task:
 * there is no current task, and a suspending call fails with -EPERM instead
 * of suspending whichever task happened to run next. */
struct handler_view {
    int calls;
    bool had_current_task;
    int sleep_result, yield_result;
    char name[32];
};
static void looks_around(asyncio_loop_t *loop, asyncio_task_t *task, int error, void *ctx) {
    (void)loop;
    (void)error;
    struct handler_view *v = ctx;
    v->calls++;
    v->had_current_task = asyncio_current_task() != NULL;
    v->sleep_result = asyncio_sleep_ms(1);
    v->yield_result = asyncio_yield();
    snprintf(v->name, sizeof v->name, "%s", asyncio_task_name(task));
}

static int fails_at_once(void *arg) {
    (void)arg;
    return -EIO;
}
static int bystander(void *arg) {
    int *steps = arg;
    for (int i = 0; i < 5; i++) {
        if (asyncio_yield() != 0) return -1;
        (*steps)++;
    }
    return 0;
}
static int detaches_failures(void *arg) {
    (void)arg;
    int steps = 0;
    asyncio_task_t *b = asyncio_create_task(bystander, &steps);
    asyncio_task_opts_t opts = {.name = "ends-failing"};
    asyncio_task_detach(asyncio_create_task_ex(fails_at_once, NULL, &opts));
    asyncio_task_t *done = asyncio_create_task_ex(fails_at_once, NULL, &opts);
    asyncio_yield();           /* both have failed now */
    asyncio_task_detach(done); /* already ended: reported, but not from here */
    int r = asyncio_await(b);
    return r == 0 ? steps : -1;
}

static void test_exception_handler_runs_outside_any_task(void) {
    asyncio_loop_t *loop = virtual_loop();
    struct handler_view v = {0};
    asyncio_loop_set_exception_handler(loop, looks_around, &v);
    asyncio_task_t *main_task = asyncio_loop_create_task(loop, detaches_failures, &v);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, main_task), 5); /* bystander undisturbed */
    CHECK_EQ(v.calls, 2);
    CHECK(!v.had_current_task);
    CHECK_EQ(v.sleep_result, -EPERM);
    CHECK_EQ(v.yield_result, -EPERM);
    CHECK_STR(v.name, "ends-failing");
    asyncio_loop_close(loop);
    CHECK_EQ(v.calls, 2);
}

/* The handler API of MicroPython and CPython: get the handler, chain to the
 * default one, report a failure through the loop's handler from a task. */
struct chained {
    asyncio_exception_handler_fn previous;
    void *previous_ctx;
    int calls, error;
    asyncio_task_t *task;
};
static void chains_to_previous(asyncio_loop_t *loop, asyncio_task_t *task, int error, void *ctx) {
    struct chained *c = ctx;
    c->calls++;
    c->error = error;
    c->task = task;
    c->previous(loop, task, error, c->previous_ctx);
}

static int reports_its_own_failure(void *arg) {
    (void)arg;
    asyncio_loop_t *loop = asyncio_get_event_loop();
    CHECK_EQ(asyncio_loop_call_exception_handler(loop, asyncio_current_task(), -EPIPE), 0);
    CHECK_EQ(asyncio_loop_call_exception_handler(loop, NULL, -ENOENT), 0);
    CHECK_EQ(asyncio_loop_call_exception_handler(loop, NULL, 0), -EINVAL);
    CHECK_EQ(asyncio_loop_call_exception_handler(NULL, NULL, -EIO), -EINVAL);
    return 0;
}

static void test_exception_handler_api(void) {
    asyncio_loop_t *loop = virtual_loop();
    void *ctx = &ctx;
    CHECK(asyncio_loop_get_exception_handler(loop, &ctx) == asyncio_loop_default_exception_handler);
    CHECK(ctx == NULL);
    struct chained c = {0};
    c.previous = asyncio_loop_get_exception_handler(loop, &c.previous_ctx);
    asyncio_loop_set_exception_handler(loop, chains_to_previous, &c);
    CHECK(asyncio_loop_get_exception_handler(loop, &ctx) == chains_to_previous);
    CHECK(ctx == &c);
    CHECK(asyncio_loop_get_exception_handler(NULL, &ctx) == NULL);

    FILE *tmp = tmpfile(); /* the default handler writes to stderr */
    int saved = dup(STDERR_FILENO);
    dup2(fileno(tmp), STDERR_FILENO);
    asyncio_task_opts_t opts = {.name = "reporter"};
    asyncio_set_event_loop(loop);
    asyncio_task_t *t = asyncio_create_task_ex(reports_its_own_failure, NULL, &opts);
    int result = asyncio_loop_run_until_complete(loop, t);
    asyncio_set_event_loop(NULL);
    dup2(saved, STDERR_FILENO);
    close(saved);
    char out[256];
    rewind(tmp);
    size_t n = fread(out, 1, sizeof out - 1, tmp);
    out[n] = 0;
    fclose(tmp);

    CHECK_EQ(result, 0);
    CHECK_EQ(c.calls, 2);
    CHECK_EQ(c.error, -ENOENT);
    CHECK(c.task == NULL);
    CHECK(strstr(out, "task 'reporter' failed: Broken pipe\n") != NULL);
    CHECK(strstr(out, "unhandled error: No such file or directory\n") != NULL);
    asyncio_loop_set_exception_handler(loop, NULL, NULL); /* back to the default */
    CHECK(asyncio_loop_get_exception_handler(loop, &ctx) == asyncio_loop_default_exception_handler);
    asyncio_loop_close(loop);
    CHECK_EQ(asyncio_loop_call_exception_handler(loop, NULL, -EIO), -EINVAL); /* closed */
}

/* One loop per thread: asyncio_run in two threads at once, each with its own
 * running loop, tasks, stacks and default loop. (Run under ThreadSanitizer
 * too: label "threads".) */
static int spins(void *arg) {
    int *yields = arg;
    for (int i = 0; i < 300; i++) {
        if (asyncio_yield() != 0) return -1;
        if (i % 100 == 0 && asyncio_sleep_ms(1) != 0) return -1;
        (*yields)++;
    }
    return 0;
}

static int reads_a_pipe(void *arg) {
    int fd = *(int *)arg;
    char c = 0;
    int r = asyncio_wait_readable(fd);
    return r == 0 && read(fd, &c, 1) == 1 ? c : -1;
}

static int thread_main(void *arg) {
    asyncio_loop_t *own = asyncio_get_event_loop();
    if (!own || asyncio_current_task() == NULL) return -1;
    int fds[2];
    if (pipe(fds) != 0) return -1;
    asyncio_task_t *reader = asyncio_create_task(reads_a_pipe, &fds[0]);
    int yields[8] = {0};
    asyncio_task_t *tasks[8];
    for (int i = 0; i < 8; i++) tasks[i] = asyncio_create_task(spins, &yields[i]);
    int r = asyncio_gather(tasks, 8, NULL, 0);
    if (write(fds[1], "x", 1) != 1 || asyncio_await(reader) != 'x') r = -1;
    close(fds[0]);
    close(fds[1]);
    if (asyncio_get_event_loop() != own) return -1;
    int total = 0;
    for (int i = 0; i < 8; i++) total += yields[i];
    *(int *)arg = total;
    return r;
}

struct loop_thread {
    pthread_t thread;
    int result, yields;
};
static void *runs_a_loop(void *arg) {
    struct loop_thread *lt = arg;
    lt->result = asyncio_run(thread_main, &lt->yields);
    return NULL;
}

static void test_two_loops_in_two_threads(void) {
    struct loop_thread lt[2] = {{.result = 1}, {.result = 1}};
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 2; i++) pthread_create(&lt[i].thread, NULL, runs_a_loop, &lt[i]);
        for (int i = 0; i < 2; i++) pthread_join(lt[i].thread, NULL);
        for (int i = 0; i < 2; i++) {
            CHECK_EQ(lt[i].result, 0);
            CHECK_EQ(lt[i].yields, 8 * 300);
        }
    }
}

int main(void) {
    RUN(test_call_soon_and_tasks_share_one_fifo);
    RUN(test_call_later_fires_in_deadline_order);
    RUN(test_run_forever_stop_and_close_unwinds);
    RUN(test_run_until_complete_interrupted_by_stop);
    RUN(test_deadlock_is_reported_in_virtual_time);
    RUN(test_unretrieved_failure_reported_once);
    RUN(test_call_soon_threadsafe_wakes_a_sleeping_loop);
    RUN(test_closed_loop_refuses_work);
    RUN(test_asyncio_run_cancels_leftovers);
    RUN(test_loop_calls_from_inside_a_task);
    RUN(test_default_loop_reads_virtual_time_from_env);
    RUN(test_run_until_complete_takes_the_task_over);
    RUN(test_run_until_complete_interrupted_gives_the_task_back);
    RUN(test_close_lets_an_uncancelled_task_clean_up);
    RUN(test_asyncio_run_reads_virtual_time_from_env);
    RUN(test_exception_handler_runs_outside_any_task);
    RUN(test_exception_handler_api);
    RUN(test_two_loops_in_two_threads);
    return check_summary();
}
