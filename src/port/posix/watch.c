/*
 * The slow-step watch on POSIX: one watcher thread for the process (only one
 * loop runs at a time), which looks at the running loop's step count a few
 * times per threshold. A switch therefore costs the loop one counter
 * increment instead of a clock read (the vDSO's cheapest clock costs more
 * than a whole task switch). Go's runtime finds long-running goroutines the
 * same way (its sysmon thread and per-P scheduler ticks).
 *
 * The watcher sleeps on a condition variable whenever no loop runs or the
 * running one rests in port_poll(), so a program whose tasks all sleep costs
 * no CPU; the loop signals it when it leaves port_poll() only if it parked,
 * which it does at most once per period.
 *
 * No missed wake-up: the loop clears `resting` and then reads `parked`; the
 * watcher sets `parked` and then reads `resting` under the mutex before it
 * waits. Sequentially consistent atomics order the two pairs, so either the
 * watcher sees the loop busy or the loop sees the watcher parked and signals
 * (taking the mutex, so not before the watcher waits).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>

#include "../../core/driver.h"
#include "port_posix.h"

static pthread_mutex_t watch_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watch_wakeup = PTHREAD_COND_INITIALIZER;
static struct step_watch *watched; /* guarded by watch_mutex */
static atomic_bool resting;        /* the loop blocks in port_poll() */
static atomic_bool parked;         /* the watcher waits on watch_wakeup */
static bool watcher_started;       /* guarded by watch_mutex */

static void *watcher_main(void *arg) {
    (void)arg;
    uint32_t last_step = 0, since = 0;
    pthread_mutex_lock(&watch_mutex);
    for (;;) {
        atomic_store(&parked, true);
        while (!watched || atomic_load(&resting)) {
            last_step = 0; /* what ran before a rest is no part of a step */
            pthread_cond_wait(&watch_wakeup, &watch_mutex);
        }
        atomic_store(&parked, false);
        uint32_t period = step_watch_period_us(
            atomic_load_explicit(&watched->threshold_us, memory_order_relaxed));
        pthread_mutex_unlock(&watch_mutex);
        struct timespec ts = {.tv_sec = period / 1000000u,
                              .tv_nsec = (long)(period % 1000000u) * 1000};
        nanosleep(&ts, NULL);
        pthread_mutex_lock(&watch_mutex);
        if (watched && !atomic_load(&resting))
            step_watch_look(watched, (uint32_t)port_now_us(), &last_step, &since);
    }
    return NULL;
}

/* fork() copies only the thread that calls it: the child has no watcher
 * (one starts with its first loop), and gets a fresh mutex and condition
 * variable, never ones held or waited on by a thread it does not have. */
static void after_fork_in_child(void) {
    pthread_mutex_init(&watch_mutex, NULL);
    pthread_cond_init(&watch_wakeup, NULL);
    watcher_started = false;
    atomic_store(&parked, false);
}

/* The watcher blocks every signal: they are the program's, for its threads. */
static void start_watcher(void) {
    static bool fork_handlers;
    if (!fork_handlers) fork_handlers = pthread_atfork(NULL, NULL, after_fork_in_child) == 0;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_t thread;
    if (pthread_create(&thread, NULL, watcher_main, NULL) == 0) {
        pthread_detach(thread);
        watcher_started = true;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void port_watch(struct port_loop *p, struct step_watch *w) {
    (void)p;
    pthread_mutex_lock(&watch_mutex);
    watched = w;
    if (w && !watcher_started) start_watcher();
    pthread_cond_signal(&watch_wakeup);
    pthread_mutex_unlock(&watch_mutex);
}

void watch_rest(bool rest) {
    atomic_store(&resting, rest);
    if (!rest && atomic_load(&parked)) {
        pthread_mutex_lock(&watch_mutex);
        pthread_cond_signal(&watch_wakeup);
        pthread_mutex_unlock(&watch_mutex);
    }
}
