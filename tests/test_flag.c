/* asyncio_flag_t (ThreadSafeFlag): how interrupt handlers, other threads and
 * signal handlers wake a task. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>

#include "asyncio.h"
#include "check.h"
#include "trace.h"

static int run_loop(bool virtual_time, asyncio_coro_fn fn, void *arg) {
    asyncio_loop_t *loop =
        asyncio_new_event_loop_ex(&(asyncio_loop_opts_t){.virtual_time = virtual_time});
    asyncio_task_t *t = asyncio_loop_create_task(loop, fn, arg);
    int result = asyncio_loop_run_until_complete(loop, t);
    asyncio_loop_close(loop);
    return result;
}

static asyncio_flag_t flag = ASYNCIO_FLAG_INIT;

/* ---- within the loop (virtual time) --------------------------------------------- */

static int other_ran;
static int mark_other(void *arg) {
    (void)arg;
    other_ran = 1;
    return 0;
}

static int sets_count_once_main(void *arg) {
    (void)arg;
    asyncio_flag_init(&flag);
    other_ran = 0;
    asyncio_task_t *other = asyncio_create_task(mark_other, NULL);
    asyncio_flag_set(&flag);
    asyncio_flag_set(&flag);
    asyncio_flag_set(&flag);
    CHECK_EQ(asyncio_flag_wait(&flag), 0); /* already set: no switch */
    CHECK_EQ(other_ran, 0);

    /* the wait cleared it: the next wait blocks (here until its scope expires) */
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 10);
    CHECK_EQ(asyncio_flag_wait(&flag), -ETIMEDOUT);
    CHECK(asyncio_timeout_exit(&scope));
    CHECK_EQ(asyncio_ticks_us(), 10000);

    /* clear() withdraws a set */
    asyncio_flag_set(&flag);
    asyncio_flag_clear(&flag);
    asyncio_timeout_enter_ms(&scope, 10);
    CHECK_EQ(asyncio_flag_wait(&flag), -ETIMEDOUT);
    CHECK(asyncio_timeout_exit(&scope));
    return asyncio_await(other);
}

static void test_sets_before_a_wait_count_once(void) {
    CHECK_EQ(run_virtual(sets_count_once_main, NULL), 0);
}

struct waiter {
    char name;
    int result;
};

static int waiter_task(void *arg) {
    struct waiter *w = arg;
    w->result = asyncio_flag_wait(&flag);
    note(w->name);
    return w->result;
}

static int one_set_one_waiter_main(void *arg) {
    (void)arg;
    asyncio_flag_init(&flag);
    trace_reset();
    struct waiter w[3] = {{'a', 1}, {'b', 1}, {'c', 1}};
    asyncio_task_t *t[3];
    for (int i = 0; i < 3; i++) t[i] = asyncio_create_task(waiter_task, &w[i]);
    asyncio_sleep_ms(1);
    for (int i = 0; i < 3; i++) {
        asyncio_flag_set(&flag);
        asyncio_flag_set(&flag); /* counts once */
        asyncio_sleep_ms(1);
        CHECK_EQ(trace_len, (size_t)i + 1); /* exactly one more waiter has gone on */
    }
    CHECK_STR(trace, "abc"); /* in the order they started waiting */
    return asyncio_gather(t, 3, NULL, 0);
}

static void test_a_set_wakes_one_waiter_in_fifo_order(void) {
    CHECK_EQ(run_virtual(one_set_one_waiter_main, NULL), 0);
}

static int cancel_main(void *arg) {
    (void)arg;
    asyncio_flag_init(&flag);
    trace_reset();
    asyncio_task_t *self = asyncio_current_task();

    /* before: a cancelled task does not consume a set */
    asyncio_flag_set(&flag);
    asyncio_task_cancel(self);
    CHECK_EQ(asyncio_flag_wait(&flag), -ECANCELED);
    asyncio_task_uncancel(self);
    CHECK_EQ(asyncio_flag_wait(&flag), 0);

    /* while waiting: the cancelled waiter leaves, the next set goes to the next one */
    struct waiter w[2] = {{'a', 1}, {'b', 1}};
    asyncio_task_t *t[2];
    for (int i = 0; i < 2; i++) t[i] = asyncio_create_task(waiter_task, &w[i]);
    asyncio_sleep_ms(1);
    CHECK(asyncio_task_cancel(t[0]));
    asyncio_sleep_ms(1);
    CHECK_STR(trace, "a");
    asyncio_flag_set(&flag);
    int results[2];
    CHECK_EQ(asyncio_gather(t, 2, results, ASYNCIO_RETURN_EXCEPTIONS), 0);
    CHECK_EQ(results[0], -ECANCELED);
    CHECK_EQ(results[1], 0);
    CHECK_STR(trace, "ab");

    /* after the set reached it, before it resumed: its wait returns 0 */
    struct waiter late = {'c', 1};
    asyncio_task_t *c = asyncio_create_task(waiter_task, &late);
    asyncio_sleep_ms(1);
    asyncio_flag_set(&flag);
    asyncio_yield(); /* the loop hands the set to c */
    CHECK(asyncio_task_cancel(c));
    CHECK_EQ(asyncio_await(c), 0);

    /* and the set was consumed: nothing is left for the next wait */
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 5);
    CHECK_EQ(asyncio_flag_wait(&flag), -ETIMEDOUT);
    CHECK(asyncio_timeout_exit(&scope));
    return 0;
}

static void test_cancelled_waiter(void) { CHECK_EQ(run_virtual(cancel_main, NULL), 0); }

/* A flag is bound to a loop only while tasks wait on it: a static flag can
 * serve one loop after another, but not two loops' waiters at once. */
static int park_waiter_main(void *arg) {
    struct waiter *w = arg;
    asyncio_task_detach(asyncio_create_task(waiter_task, w));
    return asyncio_sleep_ms(1); /* the waiter is now waiting */
}

static int foreign_wait_main(void *arg) {
    (void)arg;
    return asyncio_flag_wait(&flag);
}

static int set_and_wait_main(void *arg) {
    (void)arg;
    asyncio_flag_set(&flag);
    return asyncio_flag_wait(&flag);
}

static void test_flag_belongs_to_the_loop_of_its_waiters(void) {
    asyncio_flag_init(&flag);
    trace_reset();
    asyncio_loop_t *a = asyncio_new_event_loop_ex(&(asyncio_loop_opts_t){.virtual_time = true});
    struct waiter w = {'w', 1};
    CHECK_EQ(asyncio_loop_run_until_complete(a, asyncio_loop_create_task(a, park_waiter_main, &w)),
             0);
    CHECK_EQ(run_virtual(foreign_wait_main, NULL), -EINVAL); /* a's task waits on it */
    asyncio_loop_close(a);                                   /* cancels a's waiter */
    CHECK_EQ(w.result, -ECANCELED);
    CHECK_EQ(run_virtual(set_and_wait_main, NULL), 0); /* free for another loop now */
    CHECK_EQ(run_virtual(set_and_wait_main, NULL), 0);
}

static int bad_input_main(void *arg) {
    (void)arg;
    CHECK_EQ(asyncio_flag_wait(NULL), -EINVAL);
    asyncio_flag_set(NULL);
    asyncio_flag_clear(NULL);
    asyncio_flag_init(NULL);
    return 0;
}

static void test_bad_input(void) {
    CHECK_EQ(run_virtual(bad_input_main, NULL), 0);
    asyncio_flag_t f = ASYNCIO_FLAG_INIT;
    asyncio_flag_set(&f);                    /* fine without any loop */
    CHECK_EQ(asyncio_flag_wait(&f), -EPERM); /* outside a task */
}

/* ---- from other threads (real time) ------------------------------------------------- */

#define SETTER_THREADS  4
#define SETS_PER_THREAD 25000
#define TOTAL_SETS      (SETTER_THREADS * SETS_PER_THREAD)

static atomic_int sets_done;

static void *setter_thread(void *arg) {
    (void)arg;
    for (int i = 0; i < SETS_PER_THREAD; i++) {
        atomic_fetch_add(&sets_done, 1); /* published before the set */
        asyncio_flag_set(&flag);
    }
    return NULL;
}

static int wakeups;

static int hammered_main(void *arg) {
    (void)arg;
    pthread_t threads[SETTER_THREADS];
    for (int i = 0; i < SETTER_THREADS; i++)
        CHECK_EQ(pthread_create(&threads[i], NULL, setter_thread, NULL), 0);
    /* The task must observe the last set: if a wake-up were lost it would
     * wait forever, and the guard scope would end the test with -ETIMEDOUT. */
    asyncio_timeout_t guard;
    asyncio_timeout_enter_ms(&guard, 10000);
    int err = 0;
    while (atomic_load(&sets_done) < TOTAL_SETS || wakeups == 0) {
        err = asyncio_flag_wait(&flag);
        if (err) break;
        wakeups++;
    }
    /* late is as bad as lost: the guard must not have expired either. (If it
     * did, a port_wake() was swallowed: the loop blocked with a set pending
     * until the guard's timer woke it.) */
    CHECK(!asyncio_timeout_exit(&guard));
    for (int i = 0; i < SETTER_THREADS; i++) pthread_join(threads[i], NULL);
    return err;
}

static void test_set_from_four_threads_loses_no_wakeup(void) {
    asyncio_flag_init(&flag);
    atomic_store(&sets_done, 0);
    wakeups = 0;
    CHECK_EQ(run_loop(false, hammered_main, NULL), 0);
    CHECK_EQ(atomic_load(&sets_done), TOTAL_SETS);
    CHECK(wakeups >= 1);
    CHECK(wakeups <= TOTAL_SETS);
    printf("     %d sets from %d threads, %d wake-ups\n", TOTAL_SETS, SETTER_THREADS, wakeups);
}

static double cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void *late_setter(void *arg) {
    (void)arg;
    struct timespec ts = {0, 400 * 1000 * 1000};
    nanosleep(&ts, NULL);
    asyncio_flag_set(&flag);
    return NULL;
}

static double idle_cpu, idle_wall;

static int idle_main(void *arg) {
    (void)arg;
    pthread_t thread;
    CHECK_EQ(pthread_create(&thread, NULL, late_setter, NULL), 0);
    double cpu0 = cpu_seconds();
    uint64_t t0 = asyncio_ticks_us();
    int r = asyncio_flag_wait(&flag);
    idle_wall = (double)(asyncio_ticks_us() - t0) / 1e6;
    idle_cpu = cpu_seconds() - cpu0;
    pthread_join(thread, NULL);
    return r;
}

static void test_waiting_does_not_busy_loop(void) {
    asyncio_flag_init(&flag);
    CHECK_EQ(run_loop(false, idle_main, NULL), 0);
    CHECK(idle_wall >= 0.39);
    CHECK(idle_cpu < 0.1); /* a busy loop would burn ~0.4 s */
    printf("     waited %.3f s, used %.4f s of CPU\n", idle_wall, idle_cpu);
}

/* ---- from a signal handler ------------------------------------------------------------- */

static volatile sig_atomic_t alarms;

static void on_alarm(int sig) {
    (void)sig;
    alarms++;
    asyncio_flag_set(&flag); /* async-signal-safe */
}

static int signal_main(void *arg) {
    (void)arg;
    struct itimerval every_2ms = {{0, 2000}, {0, 2000}};
    CHECK_EQ(setitimer(ITIMER_REAL, &every_2ms, NULL), 0);
    asyncio_timeout_t guard;
    asyncio_timeout_enter_ms(&guard, 30000);
    int err = 0, n = 0;
    for (; n < 20 && !err; n++) err = asyncio_flag_wait(&flag);
    CHECK(!asyncio_timeout_exit(&guard));
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    CHECK_EQ(n, 20);
    CHECK(alarms >= 20);
    return err;
}

static void test_set_from_a_signal_handler(void) {
    asyncio_flag_init(&flag);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
    alarms = 0;
    CHECK_EQ(run_loop(false, signal_main, NULL), 0);
    /* An alarm raised just before the timer stopped may still be pending
     * (valgrind delivers signals late): ignored, not the default's exit. */
    signal(SIGALRM, SIG_IGN);
}

int main(void) {
    RUN(test_sets_before_a_wait_count_once);
    RUN(test_a_set_wakes_one_waiter_in_fifo_order);
    RUN(test_cancelled_waiter);
    RUN(test_flag_belongs_to_the_loop_of_its_waiters);
    RUN(test_bad_input);
    RUN(test_set_from_four_threads_loses_no_wakeup);
    RUN(test_waiting_does_not_busy_loop);
    RUN(test_set_from_a_signal_handler);
    return check_summary();
}
