/*
 * The stream layer over a transport of its own (src/core/stream_transport.h),
 * as a new transport would use it: a simulated serial line with a small
 * transmit ring, like the RP2040's UART. A "wire" task takes one byte out of
 * the ring per millisecond and tells the stream there is room; the receive
 * side is bytes the test makes "arrive". Virtual time, so every duration is
 * exact.
 */
#include "asyncio.h"
#include "check.h"

#include "../src/core/stream_transport.h"

#define RING    8u
#define BYTE_US 1000u

struct line {
    char tx[RING];
    size_t tx_len; /* bytes in the ring */
    bool on_wire;  /* the last byte taken is still being sent */
    char rx[64];   /* arrived, not yet read */
    size_t rx_len;
    char sent[256]; /* what went out on the wire, in order */
    size_t sent_len;
    int closes;
    asyncio_stream_t *stream;
};

static struct line line;

static ssize_t line_read_some(asyncio_stream_t *s, void *buf, size_t n) {
    struct line *l = stream_transport_data(s);
    if (l->rx_len == 0) return -EAGAIN; /* line_arrive() notifies */
    if (n > l->rx_len) n = l->rx_len;
    memcpy(buf, l->rx, n);
    memmove(l->rx, l->rx + n, l->rx_len - n);
    l->rx_len -= n;
    return (ssize_t)n;
}

static ssize_t line_write_some(asyncio_stream_t *s, const void *buf, size_t n) {
    struct line *l = stream_transport_data(s);
    size_t room = RING - l->tx_len;
    if (room == 0) return -EAGAIN; /* the wire notifies when it takes a byte */
    if (n > room) n = room;
    memcpy(l->tx + l->tx_len, buf, n);
    l->tx_len += n;
    return (ssize_t)n;
}

static int line_sent_all(asyncio_stream_t *s) {
    struct line *l = stream_transport_data(s);
    return l->tx_len == 0 && !l->on_wire;
}

/* Nothing tells the stream when the last byte has left: it asks again. */
static uint32_t line_recheck_us(asyncio_stream_t *s) {
    struct line *l = stream_transport_data(s);
    return l->tx_len ? 0 : BYTE_US;
}

static size_t line_buffered(const asyncio_stream_t *s) {
    const struct line *l = stream_transport_data(s);
    return l->rx_len;
}

static void line_close(asyncio_stream_t *s) {
    struct line *l = stream_transport_data(s);
    l->closes++;
    l->stream = NULL;
}

static const stream_transport_ops_t line_ops = {
    .read_some = line_read_some,
    .write_some = line_write_some,
    .sent_all = line_sent_all,
    .close = line_close,
    .buffered = line_buffered,
    .sent_all_recheck_us = line_recheck_us,
    .write_waits = true,
};

/* The wire: one byte a millisecond while the ring holds any. */
static int wire_main(void *arg) {
    struct line *l = arg;
    for (;;) {
        if (asyncio_sleep_us(BYTE_US) < 0) return 0;
        l->on_wire = false;
        if (l->tx_len == 0) continue;
        l->sent[l->sent_len++] = l->tx[0];
        memmove(l->tx, l->tx + 1, --l->tx_len);
        l->on_wire = true;
        if (l->stream) stream_notify_writable(l->stream, 0);
    }
}

static void line_arrive(struct line *l, const char *text) {
    size_t n = strlen(text);
    memcpy(l->rx + l->rx_len, text, n);
    l->rx_len += n;
    stream_notify_readable(l->stream, 0);
}

static asyncio_task_t *line_open(void) {
    memset(&line, 0, sizeof line);
    line.stream = stream_new(asyncio_get_event_loop(), &line_ops, &line);
    CHECK(line.stream != NULL);
    return asyncio_create_task(wire_main, &line);
}

static void line_shut(asyncio_task_t *wire) {
    asyncio_task_cancel(wire);
    asyncio_await(wire);
}

/* ---- writing ------------------------------------------------------------------ */

static int writer(void *arg) {
    const char *text = arg;
    return (int)asyncio_stream_write(line.stream, text, strlen(text));
}

/* Writes wait for room in the ring, each whole and in turn. */
static int writes_main(void *arg) {
    (void)arg;
    asyncio_task_t *wire = line_open();
    asyncio_task_t *w[2] = {asyncio_create_task(writer, "abcdefghijkl"),
                            asyncio_create_task(writer, "0123456789")};
    int results[2];
    uint64_t start = asyncio_ticks_us();
    CHECK_EQ(asyncio_gather(w, 2, results, 0), 0);
    CHECK_EQ(results[0], 12);
    CHECK_EQ(results[1], 10);
    /* 22 bytes through an 8-byte ring: the writes end when the last 8 fit */
    CHECK_EQ(asyncio_ticks_us() - start, (22 - RING) * BYTE_US);
    /* drain: the ring empties, then the last byte leaves the wire */
    CHECK_EQ(asyncio_stream_drain(line.stream), 0);
    CHECK_EQ(asyncio_ticks_us() - start, 23 * BYTE_US);
    CHECK_EQ(line.sent_len, 22);
    CHECK(memcmp(line.sent, "abcdefghijkl0123456789", 22) == 0);
    CHECK_EQ(asyncio_stream_close(line.stream), 0);
    CHECK_EQ(line.closes, 1);
    line_shut(wire);
    return 0;
}

static void test_writes_wait_for_room_in_turn(void) { CHECK_EQ(run_virtual(writes_main, NULL), 0); }

/* A write cut short by a timeout returns what the ring took; a drain cut
 * short keeps the bytes queued. */
static int interrupted_main(void *arg) {
    (void)arg;
    asyncio_task_t *wire = line_open();
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 3);
    /* 8 at once, one a millisecond after; at 3 ms the scope ends first */
    CHECK_EQ(asyncio_stream_write(line.stream, "0123456789abcdefghij", 20), RING + 2);
    CHECK(asyncio_timeout_exit(&scope));
    asyncio_timeout_enter_ms(&scope, 2);
    CHECK_EQ(asyncio_stream_drain(line.stream), -ETIMEDOUT);
    asyncio_timeout_exit(&scope);
    CHECK_EQ(asyncio_stream_drain(line.stream), 0);
    CHECK_EQ(line.sent_len, RING + 2);
    CHECK(memcmp(line.sent, "0123456789", RING + 2) == 0);
    CHECK_EQ(asyncio_stream_close(line.stream), 0);
    line_shut(wire);
    return 0;
}

static void test_interrupted_write_and_drain(void) {
    CHECK_EQ(run_virtual(interrupted_main, NULL), 0);
}

/* ---- reading ------------------------------------------------------------------ */

static int arrive_later(void *arg) {
    (void)arg;
    if (asyncio_sleep_ms(5) < 0) return -ECANCELED;
    line_arrive(&line, "hel");
    if (asyncio_sleep_ms(5) < 0) return -ECANCELED;
    line_arrive(&line, "lo\nrest");
    return 0;
}

/* A reader waits for the transport's notification; what the transport holds
 * counts as buffered. */
static int reads_main(void *arg) {
    (void)arg;
    asyncio_task_t *wire = line_open();
    asyncio_task_t *peer = asyncio_create_task(arrive_later, NULL);
    char buf[16];
    uint64_t start = asyncio_ticks_us();
    CHECK_EQ(asyncio_stream_readline(line.stream, buf, sizeof buf), 6);
    CHECK(memcmp(buf, "hello\n", 6) == 0);
    CHECK_EQ(asyncio_ticks_us() - start, 10000);
    CHECK_EQ(asyncio_stream_buffered(line.stream), 4); /* "rest", read along */
    CHECK_EQ(asyncio_await(peer), 0);
    line_arrive(&line, "xy"); /* still the transport's */
    CHECK_EQ(asyncio_stream_buffered(line.stream), 6);
    CHECK_EQ(asyncio_stream_read(line.stream, buf, sizeof buf), 4);
    CHECK_EQ(asyncio_stream_read(line.stream, buf, sizeof buf), 2);
    CHECK(memcmp(buf, "xy", 2) == 0);
    CHECK_EQ(asyncio_stream_buffered(line.stream), 0);
    CHECK_EQ(asyncio_stream_close(line.stream), 0);
    line_shut(wire);
    return 0;
}

static void test_reads_wait_for_the_transport(void) { CHECK_EQ(run_virtual(reads_main, NULL), 0); }

static int blocked_reader(void *arg) {
    (void)arg;
    char buf[4];
    return (int)asyncio_stream_read(line.stream, buf, sizeof buf);
}

/* Close wakes a waiting reader with -EBADF and releases the transport once. */
static int close_main(void *arg) {
    (void)arg;
    asyncio_task_t *wire = line_open();
    asyncio_task_t *reader = asyncio_create_task(blocked_reader, NULL);
    CHECK_EQ(asyncio_sleep_ms(1), 0);
    CHECK_EQ(asyncio_stream_close(line.stream), 0);
    CHECK_EQ(asyncio_await(reader), -EBADF);
    CHECK_EQ(line.closes, 1);
    line_shut(wire);
    return 0;
}

static void test_close_wakes_the_reader(void) { CHECK_EQ(run_virtual(close_main, NULL), 0); }

int main(void) {
    RUN(test_writes_wait_for_room_in_turn);
    RUN(test_interrupted_write_and_drain);
    RUN(test_reads_wait_for_the_transport);
    RUN(test_close_wakes_the_reader);
    return check_summary();
}
