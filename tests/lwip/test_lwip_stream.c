/* Streams over lwIP TCP (virtual time): lines that cross segments, a slow
 * reader that throttles its peer, and cancel / timeout of every suspending
 * stream call without losing a byte. */
#include <stdio.h>
#include <string.h>

#include "lwip_test.h"

#include "lwip/opt.h" /* TCP_MSS, TCP_WND, TCP_SND_BUF of this build */

#define SERVER ASYNCIO_LWIP_WIRE_B

/* A server whose one client is handed to the test's task through `accepted`. */
struct pair {
    asyncio_server_t *srv;
    asyncio_stream_t *server_side, *client_side;
    asyncio_event_t accepted, done;
};

static int hand_over(asyncio_stream_t *s, void *arg) {
    struct pair *p = arg;
    p->server_side = s;
    asyncio_event_set(&p->accepted);
    asyncio_event_wait(&p->done); /* the stream is the test's until then */
    return 0;
}

static int pair_open(struct pair *p) {
    asyncio_event_init(&p->accepted);
    asyncio_event_init(&p->done);
    p->srv = asyncio_start_server(hand_over, p, SERVER, 0, 0);
    if (!p->srv) return -errno;
    int err = asyncio_open_connection(SERVER, asyncio_server_port(p->srv), &p->client_side);
    if (!err) err = asyncio_event_wait(&p->accepted);
    return err;
}

static void pair_close(struct pair *p) {
    asyncio_stream_close(p->client_side);
    asyncio_event_set(&p->done);
    asyncio_server_close(p->srv);
    CHECK_EQ(asyncio_server_wait_closed(p->srv), 0);
}

/* ---- readline across segments -------------------------------------------------------------- */

static int main_lines(void *arg) {
    (void)arg;
    struct pair p;
    CHECK_EQ(pair_open(&p), 0);
    asyncio_stream_t *w = p.client_side, *r = p.server_side;
    char line[8192];
    /* one line in three segments (each drained: acknowledged before the next) */
    const char *parts[] = {"GET /a", "/b HTTP/1.1\r", "\n"};
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(asyncio_stream_write(w, parts[i], strlen(parts[i])), (ssize_t)strlen(parts[i]));
        CHECK_EQ(asyncio_stream_drain(w), 0);
    }
    CHECK_EQ(asyncio_stream_readline(r, line, sizeof line), 19);
    CHECK(memcmp(line, "GET /a/b HTTP/1.1\r\n", 19) == 0);
    /* a line longer than four segments */
    static char big[5001];
    for (int i = 0; i < 5000; i++) big[i] = (char)('a' + i % 26);
    big[5000] = '\n';
    CHECK_EQ(asyncio_stream_write(w, big, sizeof big), (ssize_t)sizeof big);
    CHECK(sizeof big > 3 * TCP_MSS);
    CHECK_EQ(asyncio_stream_readline(r, line, sizeof line), (ssize_t)sizeof big);
    CHECK(memcmp(line, big, sizeof big) == 0);
    /* many lines in one segment, then a last one without '\n' before the end */
    CHECK_EQ(asyncio_stream_write(w, "one\ntwo\nthree\nend", 17), 17);
    CHECK_EQ(asyncio_stream_write_eof(w), 0);
    CHECK_EQ(asyncio_stream_readline(r, line, sizeof line), 4);
    CHECK_EQ(asyncio_stream_readline(r, line, sizeof line), 4);
    CHECK_EQ(asyncio_stream_readline(r, line, sizeof line), 6);
    CHECK_EQ(asyncio_stream_readline(r, line, sizeof line), 3);
    CHECK(memcmp(line, "end", 3) == 0);
    CHECK_EQ(asyncio_stream_readline(r, line, sizeof line), 0);
    /* the half-closed side still sends */
    CHECK_EQ(asyncio_stream_write(r, "bye\n", 4), 4);
    CHECK_EQ(asyncio_stream_drain(r), 0);
    CHECK_EQ(asyncio_stream_readline(w, line, sizeof line), 4);
    pair_close(&p);
    return 0;
}

static void test_readline_across_segments(void) { CHECK_EQ(run_on_wire(main_lines, NULL), 0); }

/* ---- a slow reader throttles the writer ---------------------------------------------------------
 */

#define CHUNK      1000u
#define READ_LIMIT 1024u
static size_t sent_total;

static int writer(void *arg) {
    asyncio_stream_t *s = arg;
    char chunk[CHUNK];
    for (;;) {
        for (size_t i = 0; i < CHUNK; i++) chunk[i] = (char)((sent_total + i) % 251);
        if (asyncio_stream_write(s, chunk, CHUNK) < 0) return -EPIPE;
        if (asyncio_stream_drain(s) < 0) return 0; /* cancelled: the test is over */
        sent_total += CHUNK;
    }
}

static int main_slow_reader(void *arg) {
    (void)arg;
    struct pair p;
    CHECK_EQ(pair_open(&p), 0);
    sent_total = 0;
    asyncio_stream_set_limit(p.client_side, READ_LIMIT); /* what the stream reads ahead */
    asyncio_task_t *t = asyncio_create_task(writer, p.server_side);
    /* the reader reads nothing for 10 s: the writer is stopped after what
     * the window and the send buffer hold, and stays stopped */
    asyncio_sleep_ms(5000);
    size_t stalled_at = sent_total;
    CHECK(stalled_at + CHUNK > TCP_WND); /* all the chunks the window holds */
    CHECK(stalled_at <= TCP_WND + TCP_SND_BUF + CHUNK);
    CHECK(asyncio_stream_buffered(p.client_side) <= TCP_WND);
    asyncio_sleep_ms(5000);
    CHECK_EQ(sent_total, stalled_at);
    /* a slow reader (100 bytes every 10 ms) gets every byte, in order */
    size_t got = 0;
    int bad = 0;
    char buf[100];
    while (got < 200000) {
        ssize_t n = asyncio_stream_read(p.client_side, buf, sizeof buf);
        CHECK(n > 0);
        if (n <= 0) break;
        for (ssize_t i = 0; i < n; i++) bad += buf[i] != (char)((got + (size_t)i) % 251);
        got += (size_t)n;
        CHECK(sent_total <= got + TCP_WND + READ_LIMIT + CHUNK); /* never further ahead */
        asyncio_sleep_ms(10);
    }
    CHECK_EQ(bad, 0);
    asyncio_task_cancel(t);
    asyncio_await(t);
    pair_close(&p);
    return 0;
}

static void test_slow_reader_throttles_the_writer(void) {
    CHECK_EQ(run_on_wire(main_slow_reader, NULL), 0);
}

/* ---- cancel and time out every suspending call ------------------------------------------------
 */

static int read_some(void *arg) {
    char buf[8];
    return (int)asyncio_stream_read(arg, buf, sizeof buf);
}

static int main_interrupt(void *arg) {
    (void)arg;
    struct pair p;
    CHECK_EQ(pair_open(&p), 0);
    asyncio_stream_t *a = p.client_side, *b = p.server_side;
    char buf[64];
    asyncio_timeout_t scope;

    /* read, readline, readexactly: time out, keep what arrived */
    asyncio_timeout_enter_ms(&scope, 50);
    CHECK_EQ(asyncio_stream_read(b, buf, sizeof buf), -ETIMEDOUT);
    CHECK(asyncio_timeout_exit(&scope));
    asyncio_stream_write(a, "partial", 7);
    asyncio_timeout_enter_ms(&scope, 50);
    CHECK_EQ(asyncio_stream_readline(b, buf, sizeof buf), -ETIMEDOUT);
    CHECK(asyncio_timeout_exit(&scope));
    asyncio_timeout_enter_ms(&scope, 50);
    CHECK_EQ(asyncio_stream_readexactly(b, buf, 10), -ETIMEDOUT);
    CHECK(asyncio_timeout_exit(&scope));
    asyncio_stream_write(a, " line\n", 6);
    CHECK_EQ(asyncio_stream_readline(b, buf, sizeof buf), 13);
    CHECK(memcmp(buf, "partial line\n", 13) == 0);

    /* a read cancelled by another task */
    asyncio_task_t *t = asyncio_create_task(read_some, b);
    asyncio_sleep_ms(10);
    asyncio_task_cancel(t);
    CHECK_EQ(asyncio_await(t), -ECANCELED);
    asyncio_stream_write(a, "x", 1);
    CHECK_EQ(asyncio_stream_read(b, buf, sizeof buf), 1); /* the stream still works */

    /* drain and write_eof while b does not read: time out, bytes stay queued */
    static char block[32768];
    memset(block, 'z', sizeof block);
    CHECK_EQ(asyncio_stream_write(a, block, sizeof block), (ssize_t)sizeof block);
    asyncio_timeout_enter_ms(&scope, 100);
    CHECK_EQ(asyncio_stream_drain(a), -ETIMEDOUT);
    CHECK(asyncio_timeout_exit(&scope));
    asyncio_timeout_enter_ms(&scope, 100);
    CHECK_EQ(asyncio_stream_write_eof(a), -ETIMEDOUT);
    CHECK(asyncio_timeout_exit(&scope));
    size_t got = 0;
    while (got < sizeof block) {
        ssize_t n = asyncio_stream_read(b, buf, sizeof buf);
        CHECK(n > 0);
        if (n <= 0) break;
        got += (size_t)n;
    }
    CHECK_EQ(got, sizeof block);
    CHECK_EQ(asyncio_stream_write_eof(a), 0);
    CHECK_EQ(asyncio_stream_read(b, buf, sizeof buf), 0);
    pair_close(&p);
    return 0;
}

static void test_cancel_and_timeout_every_call(void) {
    CHECK_EQ(run_on_wire(main_interrupt, NULL), 0);
}

int main(void) {
    RUN(test_readline_across_segments);
    RUN(test_slow_reader_throttles_the_writer);
    RUN(test_cancel_and_timeout_every_call);
    return check_summary();
}
