/* Waiting on file descriptors: asyncio_wait_readable / asyncio_wait_writable. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "asyncio.h"
#include "asyncio_stream.h"
#include "check.h"

static int set_nonblock(int fd) { return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

/* ---- a reader wakes when a writer task writes ------------------------------------ */

struct pipe_pair {
    int rd, wr;
    int got;
    char buf[16];
};

static int pipe_reader(void *arg) {
    struct pipe_pair *pp = arg;
    int r = asyncio_wait_readable(pp->rd);
    if (r < 0) return r;
    pp->got = (int)read(pp->rd, pp->buf, sizeof pp->buf);
    return 0;
}

static int pipe_writer(void *arg) {
    struct pipe_pair *pp = arg;
    asyncio_sleep_ms(20);
    return (int)write(pp->wr, "hello", 5);
}

static int main_pipe(void *arg) {
    (void)arg;
    struct pipe_pair pp[3];
    asyncio_task_t *t[6];
    for (int i = 0; i < 3; i++) {
        int fds[2];
        if (pipe2(fds, O_NONBLOCK) != 0) return -1;
        pp[i].rd = fds[0];
        pp[i].wr = fds[1];
        pp[i].got = -1;
        t[2 * i] = asyncio_create_task(pipe_reader, &pp[i]);
        t[2 * i + 1] = asyncio_create_task(pipe_writer, &pp[i]);
    }
    int results[6];
    int r = asyncio_gather(t, 6, results, 0);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(pp[i].got, 5);
        CHECK(memcmp(pp[i].buf, "hello", 5) == 0);
        close(pp[i].rd);
        close(pp[i].wr);
    }
    return r;
}

static void test_readers_on_different_fds(void) { CHECK_EQ(asyncio_run(main_pipe, NULL), 0); }

/* ---- a reader and a writer on the same fd ------------------------------------------ */

static int sp[2];
static char trace[32];
static size_t trace_len;

static int same_fd_reader(void *arg) {
    (void)arg;
    int r = asyncio_wait_readable(sp[0]);
    trace[trace_len++] = 'r';
    return r;
}

static int same_fd_writer(void *arg) {
    (void)arg;
    int r = asyncio_wait_writable(sp[0]);
    trace[trace_len++] = 'w';
    return r;
}

static int main_same_fd(void *arg) {
    (void)arg;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sp) != 0) return -1;
    /* fill sp[0]'s send buffer so that it is not writable */
    static char block[65536];
    size_t filled = 0;
    for (;;) {
        ssize_t n = write(sp[0], block, sizeof block);
        if (n <= 0) break;
        filled += (size_t)n;
    }
    asyncio_task_t *t[2] = {asyncio_create_task(same_fd_reader, NULL),
                            asyncio_create_task(same_fd_writer, NULL)};
    asyncio_sleep_ms(10);
    CHECK_EQ(trace_len, 0); /* both are waiting */
    /* make sp[0] readable: the reader wakes, the writer still waits */
    CHECK_EQ(write(sp[1], "x", 1), 1);
    asyncio_sleep_ms(10);
    CHECK_EQ(trace_len, 1);
    /* drain the peer: sp[0] becomes writable */
    while (filled > 0) {
        ssize_t n = read(sp[1], block, sizeof block);
        if (n > 0)
            filled -= (size_t)n;
        else if (asyncio_wait_readable(sp[1]) < 0)
            break;
    }
    int results[2];
    int r = asyncio_gather(t, 2, results, 0);
    trace[trace_len] = 0;
    CHECK_STR(trace, "rw");
    close(sp[0]);
    close(sp[1]);
    return r;
}

static void test_reader_and_writer_on_one_fd(void) {
    trace_len = 0;
    CHECK_EQ(asyncio_run(main_same_fd, NULL), 0);
}

/* ---- cancellation, timeouts, errors ------------------------------------------------------ */

static int wait_rd(void *arg) { return asyncio_wait_readable(*(int *)arg); }
static int wait_wr(void *arg) { return asyncio_wait_writable(*(int *)arg); }

static int main_cancel(void *arg) {
    (void)arg;
    int fds[2];
    if (pipe2(fds, O_NONBLOCK) != 0) return -1;
    asyncio_task_t *t = asyncio_create_task(wait_rd, &fds[0]);
    asyncio_sleep_ms(5);
    CHECK(asyncio_task_cancel(t));
    CHECK_EQ(asyncio_await(t), -ECANCELED);

    /* a timeout scope */
    asyncio_timeout_t scope;
    uint64_t t0 = asyncio_ticks_us(); /* before the scope: its deadline is at least t0 + 20 ms */
    asyncio_timeout_enter_ms(&scope, 20);
    CHECK_EQ(asyncio_wait_readable(fds[0]), -ETIMEDOUT);
    CHECK(asyncio_ticks_us() - t0 >= 20000); /* never early */
    CHECK(asyncio_timeout_exit(&scope));

    /* the fd still works after both */
    t = asyncio_create_task(wait_rd, &fds[0]);
    asyncio_sleep_ms(5);
    CHECK_EQ(write(fds[1], "a", 1), 1);
    CHECK_EQ(asyncio_await(t), 0);

    /* a cancelled task returns at once, even for a ready fd */
    asyncio_task_cancel(asyncio_current_task());
    CHECK_EQ(asyncio_wait_readable(fds[0]), -ECANCELED);
    CHECK_EQ(asyncio_wait_writable(fds[1]), -ECANCELED);
    asyncio_task_uncancel(asyncio_current_task());
    CHECK_EQ(asyncio_wait_readable(fds[0]), 0);
    close(fds[0]);
    close(fds[1]);
    return 0;
}

static void test_cancel_and_timeout(void) { CHECK_EQ(asyncio_run(main_cancel, NULL), 0); }

static int main_hangup(void *arg) {
    (void)arg;
    int fds[2];
    /* the write end of an empty pipe closes under a reader: -EPIPE */
    if (pipe2(fds, O_NONBLOCK) != 0) return -1;
    asyncio_task_t *t = asyncio_create_task(wait_rd, &fds[0]);
    asyncio_sleep_ms(5);
    close(fds[1]);
    CHECK_EQ(asyncio_await(t), -EPIPE);
    close(fds[0]);

    /* data then hang-up: the reader is woken with 0, the data is there */
    if (pipe2(fds, O_NONBLOCK) != 0) return -1;
    CHECK_EQ(write(fds[1], "z", 1), 1);
    close(fds[1]);
    CHECK_EQ(asyncio_wait_readable(fds[0]), 0);
    char c;
    CHECK_EQ(read(fds[0], &c, 1), 1);
    CHECK_EQ(asyncio_wait_readable(fds[0]), -EPIPE);
    close(fds[0]);

    /* the read end closes under a writer waiting on a full pipe: -EPIPE */
    if (pipe2(fds, O_NONBLOCK) != 0) return -1;
    static char block[65536];
    while (write(fds[1], block, sizeof block) > 0) {
    }
    t = asyncio_create_task(wait_wr, &fds[1]);
    asyncio_sleep_ms(5);
    close(fds[0]);
    CHECK_EQ(asyncio_await(t), -EPIPE);
    close(fds[1]);

    /* asyncio_close_fd wakes the waiter at once with -EBADF */
    if (pipe2(fds, O_NONBLOCK) != 0) return -1;
    t = asyncio_create_task(wait_rd, &fds[0]);
    asyncio_task_t *t2 = asyncio_create_task(wait_rd, &fds[0]);
    asyncio_sleep_ms(5);
    CHECK_EQ(asyncio_close_fd(fds[0]), 0);
    CHECK_EQ(asyncio_await(t), -EBADF);
    CHECK_EQ(asyncio_await(t2), -EBADF);
    close(fds[1]);

    /* a plain close() under a waiter: noticed within about a second */
    if (pipe2(fds, O_NONBLOCK) != 0) return -1;
    t = asyncio_create_task(wait_rd, &fds[0]);
    asyncio_sleep_ms(5);
    close(fds[0]);
    uint64_t t0 = asyncio_ticks_us();
    CHECK_EQ(asyncio_await(t), -EBADF);
    CHECK(asyncio_ticks_us() - t0 < 2500000);
    close(fds[1]);

    /* socketpair: the peer closes; the reader sees the fd readable, EOF */
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) != 0) return -1;
    t = asyncio_create_task(wait_rd, &fds[0]);
    asyncio_sleep_ms(5);
    close(fds[1]);
    CHECK(asyncio_await(t) <= 0);
    CHECK_EQ(read(fds[0], &c, 1), 0);
    close(fds[0]);
    return 0;
}

static void test_hangup_and_close_under_waiter(void) {
    CHECK_EQ(asyncio_run(main_hangup, NULL), 0);
}

static int main_bad(void *arg) {
    (void)arg;
    CHECK_EQ(asyncio_wait_readable(-1), -EBADF);
    CHECK_EQ(asyncio_wait_writable(12345), -EBADF);
    /* a regular file never blocks */
    FILE *f = tmpfile();
    CHECK_EQ(asyncio_wait_readable(fileno(f)), 0);
    CHECK_EQ(asyncio_wait_writable(fileno(f)), 0);
    fclose(f);
    /* an fd that is a stream's cannot be waited on directly */
    int fds[2];
    if (pipe(fds) != 0) return -1;
    asyncio_stream_t *s = asyncio_stream_from_fd(fds[0]);
    CHECK(s != NULL);
    CHECK_EQ(asyncio_wait_readable(fds[0]), -EEXIST);
    asyncio_stream_close(s);
    close(fds[1]);
    return 0;
}

static void test_bad_fds(void) {
    CHECK_EQ(asyncio_wait_readable(0), -EPERM); /* outside a task */
    CHECK_EQ(asyncio_run(main_bad, NULL), 0);
}

/* ---- virtual time: an fd wait is not a deadlock --------------------------------------- */

static void *late_writer(void *arg) {
    usleep(50000);
    ssize_t n = write(*(int *)arg, "v", 1);
    (void)n;
    return NULL;
}

static int main_virtual(void *arg) {
    int *fds = arg;
    return asyncio_wait_readable(fds[0]);
}

static void test_virtual_time_waits_for_fd(void) {
    int fds[2];
    CHECK_EQ(pipe2(fds, O_NONBLOCK), 0);
    asyncio_loop_opts_t opts = {.virtual_time = true};
    asyncio_loop_t *loop = asyncio_new_event_loop_ex(&opts);
    pthread_t th;
    pthread_create(&th, NULL, late_writer, &fds[1]);
    asyncio_task_t *t = asyncio_loop_create_task(loop, main_virtual, fds);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, t), 0);
    pthread_join(th, NULL);
    asyncio_loop_close(loop);
    close(fds[0]);
    close(fds[1]);
}

/* ---- fairness: a task that only yields cannot starve I/O ------------------------------------ */

static volatile int io_done;
static int yield_count;

static int yielder(void *arg) {
    (void)arg;
    for (yield_count = 0; yield_count < 100000 && !io_done; yield_count++)
        if (asyncio_yield() < 0) return -1;
    return yield_count;
}

static int io_reader(void *arg) {
    int *fds = arg;
    int r = asyncio_wait_readable(fds[0]);
    io_done = 1;
    return r;
}

static int main_fair(void *arg) {
    int *fds = arg;
    asyncio_task_t *y = asyncio_create_task(yielder, NULL);
    asyncio_task_t *r = asyncio_create_task(io_reader, fds);
    asyncio_yield();
    asyncio_yield();                    /* the reader waits now */
    CHECK_EQ(write(fds[1], "f", 1), 1); /* readable from now on */
    CHECK_EQ(asyncio_await(r), 0);
    int spins = asyncio_await(y);
    /* the write happened while the yielder ran: one or two passes later the
     * poller must have seen it */
    CHECK(spins < 10);
    return 0;
}

static void test_yielding_task_cannot_starve_io(void) {
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    set_nonblock(fds[0]);
    io_done = 0;
    CHECK_EQ(asyncio_run(main_fair, fds), 0);
    close(fds[0]);
    close(fds[1]);
}

int main(void) {
    RUN(test_readers_on_different_fds);
    RUN(test_reader_and_writer_on_one_fd);
    RUN(test_cancel_and_timeout);
    RUN(test_hangup_and_close_under_waiter);
    RUN(test_bad_fds);
    RUN(test_virtual_time_waits_for_fd);
    RUN(test_yielding_task_cannot_starve_io);
    return check_summary();
}
