/* The LED web server example, unchanged, served over lwIP (two interfaces
 * wired back to back, virtual time): malformed and oversized requests,
 * keep-alive and pipelining, a slow client dropped on its timeout, 503 past
 * the client limit, the event stream. */
#define _GNU_SOURCE
#include <stdio.h>
#include <strings.h>

#include "../../examples/webserver/app.c"
#include "../../examples/webserver/fd_limit.c"
#include "../../examples/webserver/http.c"
#include "lwip_test.h"

#define SERVER ASYNCIO_LWIP_WIRE_B

static webapp_t *app;
static uint16_t port;

struct response {
    int status;
    bool close;
    size_t body_len;
    char body[16384];
};

/* Reads one response; returns its status, or a negative errno. */
static int read_response(asyncio_stream_t *s, struct response *r) {
    char line[512];
    memset(r, 0, offsetof(struct response, body));
    ssize_t n = asyncio_stream_readline(s, line, sizeof line - 1);
    if (n <= 0) return n ? (int)n : -EPIPE;
    line[n] = 0;
    if (sscanf(line, "HTTP/1.1 %d", &r->status) != 1) return -EPROTO;
    size_t len = 0;
    for (;;) {
        n = asyncio_stream_readline(s, line, sizeof line - 1);
        if (n <= 0) return -EPROTO;
        line[n] = 0;
        if (strcmp(line, "\r\n") == 0) break;
        if (strncasecmp(line, "Content-Length:", 15) == 0) len = (size_t)atol(line + 15);
        if (strncasecmp(line, "Connection: close", 17) == 0) r->close = true;
    }
    if (len > sizeof r->body) return -EMSGSIZE;
    if (len && asyncio_stream_readexactly(s, r->body, len) != (ssize_t)len) return -EPROTO;
    r->body_len = len;
    return r->status;
}

static int request(const char *raw, struct response *r) {
    asyncio_stream_t *s;
    int err = asyncio_open_connection(SERVER, port, &s);
    if (err) return err;
    asyncio_stream_write(s, raw, strlen(raw));
    int status = read_response(s, r);
    asyncio_stream_close(s);
    return status;
}

struct scenario {
    asyncio_coro_fn body;
    webapp_config_t cfg;
};

static int scenario_main(void *arg) {
    struct scenario *sc = arg;
    webapp_config_t cfg = sc->cfg;
    cfg.host = SERVER;
    cfg.quiet = true;
    int err = webapp_start(&cfg, &app);
    CHECK_EQ(err, 0);
    if (err) return err;
    port = webapp_port(app);
    int r = sc->body(NULL);
    CHECK_EQ(webapp_stop(app, 500), 0);
    return r;
}

static int run_scenario(asyncio_coro_fn body, webapp_config_t cfg) {
    struct scenario sc = {body, cfg};
    return run_on_wire(scenario_main, &sc);
}

/* ---- requests ----------------------------------------------------------------------------- */

static int body_basic(void *arg) {
    (void)arg;
    static struct response r;
    CHECK_EQ(request("GET / HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
    CHECK(r.body_len > 100 && memmem(r.body, r.body_len, "EventSource", 11) != NULL);
    CHECK_EQ(request("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", &r), 404);
    CHECK_EQ(request("DELETE / HTTP/1.1\r\nHost: x\r\n\r\n", &r), 405);
    CHECK_EQ(request("GET / HTTP/1.1\r\n\r\n", &r), 400);
    CHECK(r.close);
    CHECK_EQ(request("GARBAGE\r\n\r\n", &r), 400);
    CHECK_EQ(request("GET / HTTP/1.1\nHost: x\n\n", &r), 400);
    CHECK_EQ(request("GET / HTTP/3.0\r\nHost: x\r\n\r\n", &r), 505);
    CHECK_EQ(request("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999\r\n\r\n", &r), 413);

    /* oversized head: 431, whether one long line or many lines */
    static char big[12000];
    strcpy(big, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(big + strlen(big), 'a', 9000);
    strcat(big, "\r\n\r\n");
    CHECK_EQ(request(big, &r), 431);
    strcpy(big, "GET / HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 400; i++) strcat(big, "X-Header-Line: 0123456789\r\n");
    strcat(big, "\r\n");
    CHECK_EQ(request(big, &r), 431);

    /* a POST with a body switches the blinking off, then on */
    CHECK_EQ(request("POST /led/20/off HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc", &r),
             200);
    CHECK(memmem(r.body, r.body_len, "\"blink20\":false", 15) != NULL);
    CHECK_EQ(request("POST /led/20/toggle HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
    CHECK(memmem(r.body, r.body_len, "\"blink20\":true", 14) != NULL);
    return 0;
}

static void test_requests_and_errors(void) {
    CHECK_EQ(run_scenario(body_basic, (webapp_config_t){0}), 0);
}

/* ---- keep-alive and pipelining ------------------------------------------------------------- */

static int body_keepalive(void *arg) {
    (void)arg;
    static struct response r;
    static const char get_state[] = "GET /state HTTP/1.1\r\nHost: x\r\n\r\n";
    asyncio_stream_t *s;
    CHECK_EQ(asyncio_open_connection(SERVER, port, &s), 0);
    for (int i = 0; i < 3; i++) {
        asyncio_stream_write(s, get_state, sizeof get_state - 1);
        CHECK_EQ(read_response(s, &r), 200);
        CHECK(!r.close);
    }
    const char *pipelined = "GET /state HTTP/1.1\r\nHost: x\r\n\r\n"
                            "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n"
                            "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    asyncio_stream_write(s, pipelined, strlen(pipelined));
    CHECK_EQ(read_response(s, &r), 200);
    CHECK(r.body[0] == '{');
    CHECK_EQ(read_response(s, &r), 404);
    CHECK_EQ(read_response(s, &r), 200);
    CHECK(r.close);
    char c;
    CHECK_EQ(asyncio_stream_read(s, &c, 1), 0); /* the server closed */
    asyncio_stream_close(s);
    return 0;
}

static void test_keepalive_and_pipelining(void) {
    CHECK_EQ(run_scenario(body_keepalive, (webapp_config_t){0}), 0);
}

/* ---- a slow client is dropped on its timeout (exactly, in virtual time) -----------------------
 */

static int body_slow(void *arg) {
    (void)arg;
    asyncio_stream_t *s;
    CHECK_EQ(asyncio_open_connection(SERVER, port, &s), 0);
    const char *req = "GET /state HTTP/1.1\r\nHost: x\r\n\r\n";
    uint64_t t0 = asyncio_ticks_us();
    size_t sent = 0;
    int err = 0;
    while (sent < strlen(req)) { /* one byte per 100 ms */
        if (asyncio_stream_write(s, req + sent, 1) < 0) break;
        sent++;
        if ((err = asyncio_stream_drain(s)) < 0) break;
        asyncio_timeout_t scope;
        asyncio_timeout_enter_ms(&scope, 100);
        char c;
        ssize_t n = asyncio_stream_read(s, &c, 1); /* EOF once the server drops us */
        asyncio_timeout_exit(&scope);
        if (n != -ETIMEDOUT) {
            err = n == 0 ? -EPIPE : (int)n;
            break;
        }
    }
    uint64_t took = asyncio_ticks_us() - t0;
    /* bytes at 0, 100, ..., 300 ms: the server closes at 400 (and resets
     * the connection if a fifth byte sent at 400 arrived unread) */
    CHECK((sent == 4 && err == -EPIPE) || (sent == 5 && err == -ECONNRESET));
    CHECK_EQ(took, 400000); /* dropped at the 400 ms idle timeout, to the microsecond */
    asyncio_stream_close(s);
    CHECK_EQ(webapp_clients(app), 0);
    return 0;
}

static void test_slow_client_dropped_on_timeout(void) {
    CHECK_EQ(run_scenario(body_slow, (webapp_config_t){.idle_timeout_ms = 400}), 0);
}

/* ---- too many clients: 503 ---------------------------------------------------------------- */

static int body_limit(void *arg) {
    (void)arg;
    asyncio_stream_t *held[3];
    static struct response r;
    for (int i = 0; i < 3; i++) CHECK_EQ(asyncio_open_connection(SERVER, port, &held[i]), 0);
    asyncio_sleep_ms(20);
    CHECK_EQ(webapp_clients(app), 3);
    CHECK_EQ(request("GET / HTTP/1.1\r\nHost: x\r\n\r\n", &r), 503);
    CHECK_EQ(webapp_refused(app), 1);
    asyncio_stream_close(held[0]);
    asyncio_sleep_ms(20);
    CHECK_EQ(request("GET /state HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200); /* room again */
    for (int i = 1; i < 3; i++) asyncio_stream_close(held[i]);
    return 0;
}

static void test_max_clients_get_503(void) {
    CHECK_EQ(run_scenario(body_limit, (webapp_config_t){.max_clients = 3}), 0);
}

/* ---- the event stream ---------------------------------------------------------------------- */

static int body_events(void *arg) {
    (void)arg;
    asyncio_stream_t *s;
    CHECK_EQ(asyncio_open_connection(SERVER, port, &s), 0);
    static const char get_events[] = "GET /events HTTP/1.1\r\nHost: x\r\n\r\n";
    asyncio_stream_write(s, get_events, sizeof get_events - 1);
    char line[256];
    CHECK(asyncio_stream_readline(s, line, sizeof line) > 0);
    CHECK(strncmp(line, "HTTP/1.1 200", 12) == 0);
    bool event_stream = false;
    ssize_t n;
    while ((n = asyncio_stream_readline(s, line, sizeof line - 1)) > 2) {
        line[n] = 0;
        if (strstr(line, "text/event-stream")) event_stream = true;
    }
    CHECK(event_stream);
    /* the LEDs change by themselves: in 2 s, GPIO 19 (every 0.5 s) toggles
     * four times and GPIO 20 (every 2 s) once */
    int events = 0;
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 2000);
    while ((n = asyncio_stream_readline(s, line, sizeof line - 1)) > 0)
        if (strncmp(line, "data: {", 7) == 0) events++;
    asyncio_timeout_exit(&scope);
    CHECK(events >= 4 && events <= 6);
    /* a toggle shows up in the stream */
    static struct response r;
    CHECK_EQ(request("POST /led/19/toggle HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
    bool seen = false;
    asyncio_timeout_enter_ms(&scope, 1000);
    while (!seen && (n = asyncio_stream_readline(s, line, sizeof line - 1)) > 0) {
        line[n] = 0;
        if (strstr(line, "\"blink19\":false")) seen = true;
    }
    asyncio_timeout_exit(&scope);
    CHECK(seen);
    asyncio_stream_close(s);
    return 0;
}

static void test_event_stream(void) {
    CHECK_EQ(run_scenario(body_events, (webapp_config_t){.heartbeat_ms = 100}), 0);
}

int main(void) {
    RUN(test_requests_and_errors);
    RUN(test_keepalive_and_pipelining);
    RUN(test_slow_client_dropped_on_timeout);
    RUN(test_max_clients_get_503);
    RUN(test_event_stream);
    machine_pin_sim_reset();
    return check_summary();
}
