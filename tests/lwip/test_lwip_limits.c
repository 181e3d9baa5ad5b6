/* The web server within the Pico W's limits: lwIP built with lwipopts.h's
 * own pools and heap (8 connections' worth; here client and server share
 * one lwIP, so each connection takes two PCBs of its 10) and the Pico W
 * example's four clients. Four event streams are served and a fifth client
 * gets its 503; a connection past lwIP's PCB pool is refused with -ENOMEM
 * while the others go on; lwIP's heap and pools never fail meanwhile. */
#define _GNU_SOURCE
#include <stdio.h>

#include "../../examples/webserver/app.c"
#include "../../examples/webserver/fd_limit.c"
#include "../../examples/webserver/http.c"
#include "lwip_test.h"

#include "lwip/memp.h"
#include "lwip/stats.h"

#define SERVER ASYNCIO_LWIP_WIRE_B

static webapp_t *app;

static int open_events(uint16_t port, asyncio_stream_t **s) {
    static const char get_events[] = "GET /events HTTP/1.1\r\nHost: x\r\n\r\n";
    int err = asyncio_open_connection(SERVER, port, s);
    if (err) return err;
    asyncio_stream_write(*s, get_events, sizeof get_events - 1);
    char line[128];
    ssize_t n = asyncio_stream_readline(*s, line, sizeof line);
    return n > 12 && strncmp(line, "HTTP/1.1 200", 12) == 0 ? 0 : -EPROTO;
}

/* The status of a GET / on a connection that is left open (*s). */
static int get_status(uint16_t port, asyncio_stream_t **s) {
    static const char get[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    int err = asyncio_open_connection(SERVER, port, s);
    if (err) return err;
    asyncio_stream_write(*s, get, sizeof get - 1);
    char line[128];
    int status = 0;
    ssize_t n = asyncio_stream_readline(*s, line, sizeof line - 1);
    if (n <= 0) return n ? (int)n : -EPIPE;
    line[n] = 0;
    return sscanf(line, "HTTP/1.1 %d", &status) == 1 ? status : -EPROTO;
}

/* Waits for the next "data:" line of an event stream. */
static bool next_event(asyncio_stream_t *s) {
    char line[256];
    ssize_t n;
    while ((n = asyncio_stream_readline(s, line, sizeof line)) > 0)
        if (strncmp(line, "data: {", 7) == 0) return true;
    return false;
}

static int main_limits(void *arg) {
    (void)arg;
    webapp_config_t cfg = {.host = SERVER, .max_clients = 4, .quiet = true};
    CHECK_EQ(webapp_start(&cfg, &app), 0);
    uint16_t port = webapp_port(app);
    asyncio_stream_t *events[4], *extra, *late;
    for (int i = 0; i < 4; i++) CHECK_EQ(open_events(port, &events[i]), 0);
    CHECK_EQ(webapp_clients(app), 4);
    /* the fifth client gets 503 (and stays connected: its two PCBs, with
     * the streams' eight, are all of lwIP's ten) */
    CHECK_EQ(get_status(port, &extra), 503);
    CHECK_EQ(webapp_refused(app), 1);
    /* one more: no PCB for it */
    CHECK_EQ(asyncio_open_connection(SERVER, port, &late), -ENOMEM);
    /* the event streams go on */
    for (int i = 0; i < 4; i++) CHECK(next_event(events[i]));
    printf("lwIP with 4 event streams and a 503: heap %u B at most of %u, %u TCP PCBs of %u, "
           "%u receive buffers at most of %u\n",
           (unsigned)lwip_stats.mem.max, (unsigned)MEM_SIZE,
           (unsigned)lwip_stats.memp[MEMP_TCP_PCB]->used, (unsigned)MEMP_NUM_TCP_PCB,
           (unsigned)lwip_stats.memp[MEMP_PBUF_POOL]->max, (unsigned)PBUF_POOL_SIZE);
    CHECK_EQ(lwip_stats.mem.err, 0);
    CHECK_EQ(lwip_stats.memp[MEMP_PBUF_POOL]->err, 0);
    CHECK(lwip_stats.memp[MEMP_TCP_PCB]->err > 0); /* the refused one */
    /* once one has gone (its server task notices on its next event, within
     * 0.5 s) and the fifth too, a new client is served again */
    asyncio_stream_close(extra);
    asyncio_stream_close(events[0]);
    asyncio_sleep_ms(1000);
    CHECK_EQ(webapp_clients(app), 3);
    CHECK_EQ(open_events(port, &events[0]), 0);
    for (int i = 0; i < 4; i++) asyncio_stream_close(events[i]);
    CHECK_EQ(webapp_stop(app, 500), 0);
    return 0;
}

static void test_four_clients_and_a_503_within_the_pools(void) {
    CHECK_EQ(run_on_wire(main_limits, NULL), 0);
}

int main(void) {
    RUN(test_four_clients_and_a_503_within_the_pools);
    machine_pin_sim_reset();
    return check_summary();
}
