/* A write that finds lwIP's heap full (lwipopts.h's own 16 KB: three peers
 * that do not read hold it with what their writers queued) waits for room
 * instead of failing: once memory is back, the bytes go out. */
#include <stdio.h>
#include <string.h>

#include "lwip_test.h"

#include "lwip/stats.h"

#define SERVER ASYNCIO_LWIP_WIRE_B
#define HOGS   3

static asyncio_stream_t *accepted[HOGS + 1];
static int n_accepted;
static asyncio_event_t all_in, done;

static int keep(asyncio_stream_t *s, void *arg) {
    (void)arg;
    accepted[n_accepted++] = s;
    if (n_accepted == HOGS + 1) asyncio_event_set(&all_in);
    asyncio_event_wait(&done); /* the stream is the test's until then */
    return 0;
}

static int main_memory(void *arg) {
    (void)arg;
    asyncio_event_init(&all_in);
    asyncio_event_init(&done);
    asyncio_server_t *srv = asyncio_start_server(keep, NULL, SERVER, 0, 0);
    CHECK(srv != NULL);
    asyncio_stream_t *c[HOGS + 1];
    for (int i = 0; i <= HOGS; i++)
        CHECK_EQ(asyncio_open_connection(SERVER, asyncio_server_port(srv), &c[i]), 0);
    CHECK_EQ(asyncio_event_wait(&all_in), 0);
    /* the hogs' writers queue more than lwIP's heap holds; nobody reads */
    static char block[16384];
    memset(block, 'h', sizeof block);
    for (int i = 0; i < HOGS; i++)
        CHECK_EQ(asyncio_stream_write(c[i], block, sizeof block), (ssize_t)sizeof block);
    asyncio_sleep_ms(100);
    CHECK(lwip_stats.mem.err > 0); /* lwIP's heap ran out */
    /* a write on the last connection, with nothing of its own in flight */
    CHECK_EQ(asyncio_stream_write(c[HOGS], "hello\n", 6), 6);
    asyncio_sleep_ms(100);
    /* the hogs' peers read everything: the heap empties, the hello goes out */
    static char sink[16384];
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 10000);
    for (int i = 0; i < HOGS; i++) {
        size_t got = 0;
        while (got < sizeof block) {
            ssize_t n = asyncio_stream_read(accepted[i], sink, sizeof sink);
            CHECK(n > 0);
            if (n <= 0) break;
            got += (size_t)n;
        }
    }
    CHECK(!asyncio_timeout_exit(&scope));
    char line[16];
    asyncio_timeout_enter_ms(&scope, 3000);
    /* which accepted stream is c[HOGS]'s peer: the one the server took last */
    CHECK_EQ(asyncio_stream_readline(accepted[HOGS], line, sizeof line), 6);
    CHECK(!asyncio_timeout_exit(&scope));
    CHECK(memcmp(line, "hello\n", 6) == 0);
    for (int i = 0; i <= HOGS; i++) asyncio_stream_close(c[i]);
    asyncio_event_set(&done);
    asyncio_server_close(srv);
    CHECK_EQ(asyncio_server_wait_closed(srv), 0);
    return 0;
}

static void test_write_waits_for_lwip_memory(void) { CHECK_EQ(run_on_wire(main_memory, NULL), 0); }

int main(void) {
    RUN(test_write_waits_for_lwip_memory);
    return check_summary();
}
