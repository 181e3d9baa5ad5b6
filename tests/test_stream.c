/* Buffered streams over socketpairs, pipes and files. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "asyncio.h"
#include "asyncio_stream.h"
#include "check.h"

/* A connected pair: a stream on one end, a raw non-blocking fd on the other. */
static asyncio_stream_t *s;
static int peer;

static void pair_open(void) {
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    s = asyncio_stream_from_fd(sv[0]);
    CHECK(s != NULL);
    peer = sv[1];
}

static void pair_close(void) {
    if (s) CHECK_EQ(asyncio_stream_close(s), 0);
    if (peer >= 0) close(peer);
    s = NULL;
    peer = -1;
}

static int send_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
        } else if (asyncio_wait_writable(fd) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Writes the NULL-terminated list of parts with a pause between them. */
static int dribble(void *arg) {
    const char *const *parts = arg;
    for (; *parts; parts++) {
        if (asyncio_sleep_ms(5) < 0) return -1;
        if (send_all(peer, *parts, strlen(*parts)) < 0) return -1;
    }
    return 0;
}

/* ---- read, readexactly -------------------------------------------------------------- */

static int main_read(void *arg) {
    (void)arg;
    pair_open();
    char buf[64];
    static const char *parts[] = {"abc", "defgh", "ij", NULL};
    asyncio_task_t *w = asyncio_create_task(dribble, (void *)parts);
    CHECK_EQ(asyncio_stream_read(s, buf, 0), 0);
    ssize_t n = asyncio_stream_read(s, buf, sizeof buf); /* suspends until "abc" */
    CHECK_EQ(n, 3);
    CHECK(memcmp(buf, "abc", 3) == 0);
    n = asyncio_stream_readexactly(s, buf, 7); /* spans two writes */
    CHECK_EQ(n, 7);
    CHECK(memcmp(buf, "defghij", 7) == 0);
    CHECK_EQ(asyncio_await(w), 0);

    /* early EOF: -EPIPE, and the bytes stay */
    CHECK_EQ(write(peer, "xyz", 3), 3);
    shutdown(peer, SHUT_WR);
    CHECK_EQ(asyncio_stream_readexactly(s, buf, 10), -EPIPE);
    CHECK_EQ(asyncio_stream_buffered(s), 3);
    CHECK_EQ(asyncio_stream_read(s, buf, 2), 2);
    CHECK(memcmp(buf, "xy", 2) == 0);
    CHECK_EQ(asyncio_stream_read(s, buf, sizeof buf), 1);
    CHECK_EQ(asyncio_stream_read(s, buf, sizeof buf), 0); /* EOF */
    CHECK_EQ(asyncio_stream_read(s, buf, sizeof buf), 0);
    pair_close();
    return 0;
}

static void test_read_and_readexactly(void) { CHECK_EQ(asyncio_run(main_read, NULL), 0); }

static int main_big(void *arg) {
    (void)arg;
    pair_open();
    /* a readexactly bigger than the limit and than the socket buffer */
    size_t n = 1u << 20;
    char *out = malloc(n), *in = malloc(n);
    for (size_t i = 0; i < n; i++) out[i] = (char)(i * 7 + 3);
    asyncio_stream_set_limit(s, 1024);
    asyncio_stream_t *w = asyncio_stream_from_fd(peer);
    peer = -1;
    CHECK_EQ(asyncio_stream_write(w, out, n), (ssize_t)n); /* buffered, sent in background */
    CHECK_EQ(asyncio_stream_readexactly(s, in, n), (ssize_t)n);
    CHECK(memcmp(in, out, n) == 0);
    CHECK_EQ(asyncio_stream_drain(w), 0);
    /* direct reads of big chunks */
    CHECK_EQ(asyncio_stream_write(w, out, n), (ssize_t)n);
    size_t got = 0;
    while (got < n) {
        ssize_t r = asyncio_stream_read(s, in + got, n - got);
        CHECK(r > 0);
        if (r <= 0) break;
        got += (size_t)r;
    }
    CHECK(memcmp(in, out, n) == 0);
    /* the limit bounds read-ahead */
    CHECK_EQ(asyncio_stream_write(w, out, 5000), 5000);
    CHECK_EQ(asyncio_stream_drain(w), 0);
    CHECK(asyncio_stream_read(s, in, 100) > 0);
    CHECK(asyncio_stream_buffered(s) <= 1024);
    CHECK_EQ(asyncio_stream_close(w), 0);
    free(out);
    free(in);
    pair_close();
    return 0;
}

static void test_big_transfers_and_limit(void) { CHECK_EQ(asyncio_run(main_big, NULL), 0); }

/* ---- readline ---------------------------------------------------------------------- */

static int main_readline(void *arg) {
    (void)arg;
    pair_open();
    char buf[64];
    static const char *parts[] = {"hel",     "lo\nwor", "ld\n", "\n", "0123456789abcdef",
                                  "X\nlast", NULL};
    asyncio_task_t *w = asyncio_create_task(dribble, (void *)parts);
    CHECK_EQ(asyncio_stream_readline(s, buf, sizeof buf), 6);
    CHECK(memcmp(buf, "hello\n", 6) == 0);
    CHECK_EQ(asyncio_stream_readline(s, buf, sizeof buf), 6);
    CHECK(memcmp(buf, "world\n", 6) == 0);
    CHECK_EQ(asyncio_stream_readline(s, buf, sizeof buf), 1);
    /* 18 bytes with its '\n': too long for 10, nothing lost */
    CHECK_EQ(asyncio_stream_readline(s, buf, 10), -EMSGSIZE);
    CHECK_EQ(asyncio_stream_readline(s, buf, 17), -EMSGSIZE);
    CHECK_EQ(asyncio_stream_readline(s, buf, 18), 18);
    CHECK(memcmp(buf, "0123456789abcdefX\n", 18) == 0);
    CHECK_EQ(asyncio_await(w), 0);
    shutdown(peer, SHUT_WR);
    CHECK_EQ(asyncio_stream_readline(s, buf, sizeof buf), 4); /* last line, no '\n' */
    CHECK(memcmp(buf, "last", 4) == 0);
    CHECK_EQ(asyncio_stream_readline(s, buf, sizeof buf), 0);
    CHECK_EQ(asyncio_stream_readline(s, buf, 0), -EMSGSIZE);
    pair_close();

    /* an oversized line read in parts */
    pair_open();
    CHECK_EQ(write(peer, "aaaaaaaaaa\nb\n", 13), 13);
    CHECK_EQ(asyncio_stream_readline(s, buf, 4), -EMSGSIZE);
    CHECK_EQ(asyncio_stream_read(s, buf, 4), 4);
    CHECK_EQ(asyncio_stream_readline(s, buf, 4), -EMSGSIZE);
    CHECK_EQ(asyncio_stream_read(s, buf, 4), 4);
    CHECK_EQ(asyncio_stream_readline(s, buf, 4), 3);
    CHECK(memcmp(buf, "aa\n", 3) == 0);
    CHECK_EQ(asyncio_stream_readline(s, buf, 4), 2);
    pair_close();
    return 0;
}

static void test_readline(void) { CHECK_EQ(asyncio_run(main_readline, NULL), 0); }

/* ---- cancellation and timeouts of every suspending call ------------------------------------- */

enum op { OP_READ, OP_READEXACTLY, OP_READLINE, OP_DRAIN, OP_WRITE_EOF, OP_CLOSE };

static int do_op(void *arg) {
    char buf[32];
    switch (*(enum op *)arg) {
    case OP_READ:
        return (int)asyncio_stream_read(s, buf, sizeof buf);
    case OP_READEXACTLY:
        return (int)asyncio_stream_readexactly(s, buf, 10);
    case OP_READLINE:
        return (int)asyncio_stream_readline(s, buf, sizeof buf);
    case OP_DRAIN:
        return asyncio_stream_drain(s);
    case OP_WRITE_EOF:
        return asyncio_stream_write_eof(s);
    case OP_CLOSE:
        return asyncio_stream_close(s);
    }
    return 0;
}

static void fill_send_buffer(void) {
    static char block[65536];
    memset(block, 'q', sizeof block);
    /* more than the kernel takes: the rest stays queued in the stream */
    for (int i = 0; i < 64; i++) CHECK_EQ(asyncio_stream_write(s, block, sizeof block), 65536);
}

static int main_interrupts(void *arg) {
    (void)arg;
    for (enum op op = OP_READ; op <= OP_CLOSE; op++) {
        for (int how = 0; how < 2; how++) { /* 0: cancel, 1: timeout scope */
            if (getenv("TEST_VERBOSE")) fprintf(stderr, "op %d how %d\n", (int)op, how);
            pair_open();
            CHECK_EQ(write(peer, "part", 4), 4); /* a partial line / short read */
            if (op >= OP_DRAIN) fill_send_buffer();
            int r;
            if (how == 0) {
                asyncio_task_t *t = asyncio_create_task(do_op, &op);
                asyncio_sleep_ms(10);
                CHECK(!asyncio_task_done(t) || op == OP_READ);
                asyncio_task_cancel(t);
                r = asyncio_await(t);
            } else {
                asyncio_timeout_t scope;
                asyncio_timeout_enter_ms(&scope, 10);
                r = do_op(&op);
                CHECK(asyncio_timeout_exit(&scope) || op == OP_READ);
            }
            if (op == OP_READ) {
                CHECK_EQ(r, 4); /* data was there: no switch, no interruption */
            } else {
                CHECK_EQ(r, how == 0 ? -ECANCELED : -ETIMEDOUT);
            }
            if (op == OP_READEXACTLY || op == OP_READLINE) {
                char buf[8];
                CHECK_EQ(asyncio_stream_read(s, buf, sizeof buf), 4); /* nothing lost */
            }
            if (op == OP_CLOSE) s = NULL; /* closed anyway */
            close(peer);                  /* first: a drain in close would wait for it to read */
            peer = -1;
            if (s) CHECK(asyncio_stream_close(s) == 0 || op >= OP_DRAIN);
            s = NULL;
        }
    }
    /* a cancelled task: every call fails at once, even with data buffered */
    pair_open();
    CHECK_EQ(write(peer, "line\n", 5), 5);
    char buf[8];
    asyncio_task_cancel(asyncio_current_task());
    CHECK_EQ(asyncio_stream_read(s, buf, 8), -ECANCELED);
    CHECK_EQ(asyncio_stream_readline(s, buf, 8), -ECANCELED);
    CHECK_EQ(asyncio_stream_readexactly(s, buf, 2), -ECANCELED);
    CHECK_EQ(asyncio_stream_drain(s), -ECANCELED);
    asyncio_task_uncancel(asyncio_current_task());
    CHECK_EQ(asyncio_stream_readline(s, buf, 8), 5);
    pair_close();
    return 0;
}

static void test_cancel_and_timeout_every_call(void) {
    CHECK_EQ(asyncio_run(main_interrupts, NULL), 0);
}

/* ---- close under a waiter, concurrent readers -------------------------------------------------
 */

static int reader_task(void *arg) {
    char buf[8];
    return (int)asyncio_stream_read(arg, buf, sizeof buf);
}

static int main_close_under(void *arg) {
    (void)arg;
    pair_open();
    asyncio_task_t *r = asyncio_create_task(reader_task, s);
    asyncio_sleep_ms(5);
    char buf[8];
    CHECK_EQ(asyncio_stream_read(s, buf, sizeof buf), -EBUSY);
    CHECK_EQ(asyncio_stream_close(s), 0);
    s = NULL;
    CHECK_EQ(asyncio_await(r), -EBADF);
    pair_close();
    return 0;
}

static void test_close_under_a_reader(void) { CHECK_EQ(asyncio_run(main_close_under, NULL), 0); }

/* ---- back-pressure: a slow reader keeps the writer's memory flat --------------------------------
 */

static size_t produced, consumed, max_ahead;

static int slow_reader(void *arg) {
    int fd = *(int *)arg;
    char buf[16384];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0) return 0;
        if (n > 0) {
            consumed += (size_t)n;
            if (asyncio_sleep_ms(1) < 0) return -1;
        } else if (asyncio_wait_readable(fd) < 0) {
            return -1;
        }
    }
}

static int main_backpressure(void *arg) {
    (void)arg;
    pair_open();
    asyncio_task_t *r = asyncio_create_task(slow_reader, &peer);
    static char chunk[32768];
    produced = consumed = max_ahead = 0;
    for (int i = 0; i < 256; i++) { /* 8 MiB */
        CHECK_EQ(asyncio_stream_write(s, chunk, sizeof chunk), (ssize_t)sizeof chunk);
        produced += sizeof chunk;
        CHECK_EQ(asyncio_stream_drain(s), 0);
        size_t ahead = produced - consumed;
        if (ahead > max_ahead) max_ahead = ahead;
    }
    CHECK_EQ(asyncio_stream_write_eof(s), 0);
    CHECK_EQ(asyncio_await(r), 0);
    CHECK_EQ(consumed, produced);
    /* never more ahead than a chunk plus what the kernel buffers */
    CHECK(max_ahead < 4u * 1024u * 1024u);
    pair_close();
    return 0;
}

static void test_slow_reader_backpressure(void) {
    CHECK_EQ(asyncio_run(main_backpressure, NULL), 0);
}

/* ---- pipes: write to a closed reader is -EPIPE, never SIGPIPE -----------------------------------
 */

static int main_pipe(void *arg) {
    (void)arg;
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    asyncio_stream_t *w = asyncio_stream_from_fd(fds[1]);
    asyncio_stream_t *r = asyncio_stream_from_fd(fds[0]);
    CHECK_EQ(asyncio_stream_write(w, "ping\n", 5), 5);
    char buf[16];
    CHECK_EQ(asyncio_stream_readline(r, buf, sizeof buf), 5);
    CHECK_EQ(asyncio_stream_close(r), 0);
    CHECK_EQ(asyncio_stream_write(w, "x", 1), -EPIPE);
    CHECK_EQ(asyncio_stream_drain(w), -EPIPE);
    CHECK_EQ(asyncio_stream_close(w), -EPIPE);
    return 0;
}

static void test_pipe_epipe_no_sigpipe(void) {
    signal(SIGPIPE, SIG_DFL);
    CHECK_EQ(asyncio_run(main_pipe, NULL), 0);
}

/* ---- a regular file, write_eof ------------------------------------------------------------- */

static int main_file(void *arg) {
    (void)arg;
    FILE *f = tmpfile();
    fputs("one\ntwo\n", f);
    fflush(f);
    rewind(f);
    asyncio_stream_t *fs = asyncio_stream_from_fd(dup(fileno(f)));
    fclose(f);
    CHECK(fs != NULL);
    char buf[16];
    CHECK_EQ(asyncio_stream_readline(fs, buf, sizeof buf), 4);
    CHECK_EQ(asyncio_stream_readline(fs, buf, sizeof buf), 4);
    CHECK_EQ(asyncio_stream_readline(fs, buf, sizeof buf), 0);
    CHECK_EQ(asyncio_stream_close(fs), 0);

    pair_open();
    CHECK_EQ(asyncio_stream_write(s, "bye", 3), 3);
    CHECK_EQ(asyncio_stream_write_eof(s), 0);
    CHECK_EQ(asyncio_stream_write(s, "more", 4), -EPIPE);
    CHECK_EQ(read(peer, buf, sizeof buf), 3);
    CHECK_EQ(read(peer, buf, sizeof buf), 0);
    CHECK_EQ(write(peer, "back", 4), 4); /* the other direction still works */
    CHECK_EQ(asyncio_stream_readexactly(s, buf, 4), 4);
    pair_close();
    return 0;
}

static void test_file_and_write_eof(void) { CHECK_EQ(asyncio_run(main_file, NULL), 0); }

/* Streams nobody reads or writes, with data waiting, the peer gone and a
 * writer blocked once: the loop sleeps without spinning (a level-triggered
 * poller must not report those fds over and over). */
static double cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int read_one(void *arg) {
    char c;
    return (int)asyncio_stream_read(arg, &c, 1);
}

static int drain_one(void *arg) { return asyncio_stream_drain(arg); }

static int main_idle(void *arg) {
    (void)arg;
    pair_open();
    asyncio_task_t *t = asyncio_create_task(read_one, s); /* waits: EAGAIN seen */
    asyncio_sleep_ms(5);
    CHECK_EQ(write(peer, "ab", 2), 2);
    CHECK_EQ(asyncio_await(t), 1);
    CHECK_EQ(write(peer, "cd", 2), 2); /* more data, nobody reads */

    int sv[2]; /* a writer that queued bytes (EAGAIN seen), drained since */
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    asyncio_stream_t *w = asyncio_stream_from_fd(sv[0]);
    static char block[65536];
    for (int i = 0; i < 16; i++)
        CHECK_EQ(asyncio_stream_write(w, block, sizeof block), sizeof block);
    t = asyncio_create_task(drain_one, w);
    size_t got = 0;
    while (got < 16 * sizeof block) {
        ssize_t r = read(sv[1], block, sizeof block);
        if (r > 0)
            got += (size_t)r;
        else if (asyncio_wait_readable(sv[1]) < 0)
            break;
    }
    CHECK_EQ(asyncio_await(t), 0);

    int hup[2]; /* a stream whose peer closed, never read */
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, hup), 0);
    asyncio_stream_t *h = asyncio_stream_from_fd(hup[0]);
    t = asyncio_create_task(read_one, h);
    asyncio_sleep_ms(5);
    close(hup[1]);
    CHECK_EQ(asyncio_await(t), 0);

    double c0 = cpu_seconds();
    asyncio_sleep_ms(300);
    CHECK(cpu_seconds() - c0 < 0.1);
    CHECK_EQ(asyncio_stream_close(h), 0);
    CHECK_EQ(asyncio_stream_close(w), 0);
    close(sv[1]);
    pair_close();
    return 0;
}

static void test_idle_streams_do_not_spin(void) { CHECK_EQ(asyncio_run(main_idle, NULL), 0); }

static void test_bad_arguments(void) {
    char buf[4];
    CHECK(asyncio_stream_from_fd(-1) == NULL);
    CHECK_EQ(errno, EBADF);
    CHECK_EQ(asyncio_stream_read(NULL, buf, 4), -EPERM); /* outside a task */
    CHECK_EQ(asyncio_stream_write(NULL, buf, 4), -EINVAL);
    CHECK_EQ(asyncio_stream_close(NULL), -EINVAL);
    CHECK_EQ(asyncio_stream_fd(NULL), -1);
    /* close outside a task: sends what it can */
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    asyncio_stream_t *x = asyncio_stream_from_fd(sv[0]);
    CHECK_EQ(asyncio_stream_fd(x), sv[0]);
    CHECK_EQ(asyncio_stream_write(x, "ok", 2), 2);
    CHECK_EQ(asyncio_stream_close(x), 0);
    CHECK_EQ(read(sv[1], buf, 4), 2);
    close(sv[1]);
    asyncio_loop_close(asyncio_get_event_loop());
}

/* A stream may outlive its loop: closing it afterwards closes the fd and frees
 * it (what the kernel takes at once is sent, as outside a task), and reading
 * or writing it says -EBADF / -EPIPE instead of touching the closed loop. */
static void test_close_after_loop_close(void) {
    int sv[2];
    char buf[8];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    asyncio_loop_t *loop = asyncio_new_event_loop();
    asyncio_set_event_loop(loop);
    asyncio_stream_t *x = asyncio_stream_from_fd(sv[0]);
    CHECK(x != NULL);
    asyncio_loop_close(loop);
    CHECK_EQ(asyncio_stream_write(x, "late", 4), 4); /* the kernel takes it at once */
    CHECK_EQ(asyncio_stream_close(x), 0);
    CHECK_EQ(fcntl(sv[0], F_GETFD), -1); /* the fd is closed */
    CHECK_EQ(read(sv[1], buf, sizeof buf), 4);
    close(sv[1]);
    /* with bytes queued (the peer reads nothing): they are discarded */
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    loop = asyncio_new_event_loop();
    asyncio_set_event_loop(loop);
    x = asyncio_stream_from_fd(sv[0]);
    static char big[1 << 20];
    CHECK_EQ(asyncio_stream_write(x, big, sizeof big), (ssize_t)sizeof big);
    asyncio_loop_close(loop);
    CHECK_EQ(asyncio_stream_close(x), -EAGAIN);
    CHECK_EQ(fcntl(sv[0], F_GETFD), -1);
    close(sv[1]);
    asyncio_set_event_loop(NULL);
}

int main(void) {
    peer = -1;
    RUN(test_read_and_readexactly);
    RUN(test_big_transfers_and_limit);
    RUN(test_readline);
    RUN(test_cancel_and_timeout_every_call);
    RUN(test_close_under_a_reader);
    RUN(test_slow_reader_backpressure);
    RUN(test_pipe_epipe_no_sigpipe);
    RUN(test_file_and_write_eof);
    RUN(test_idle_streams_do_not_spin);
    RUN(test_bad_arguments);
    RUN(test_close_after_loop_close);
    return check_summary();
}
