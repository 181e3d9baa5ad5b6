/* The web server example's scenarios that hold on any transport, shared by
 * test_http.c (sockets on loopback) and lwip/test_lwip_http.c (lwIP over
 * two wired interfaces): requests and errors, keep-alive and pipelining, a
 * slow client, the client limit, the event stream. Include after the
 * example's sources (app.c, http.c); set app_host before running them. */
#ifndef CASYNCIO_TEST_WEBAPP_SCENARIOS_H
#define CASYNCIO_TEST_WEBAPP_SCENARIOS_H

#include "asyncio.h"
#include "check.h" /* after asyncio.h */
#include "http_client.h"

/* Each includer defines how a scenario runs on its transport: body against
 * a server started with cfg (with_server), on a loop of its own. */
static int run_scenario(asyncio_coro_fn body, webapp_config_t cfg);

static const char *app_host; /* where the server listens and clients connect */
static webapp_t *app;        /* the server while a scenario runs */
static uint16_t port;        /* its port */

/* One request on a connection of its own to the server (http_client.h). */
static int request(const char *raw, struct response *r) {
    return http_request(app_host, port, raw, r);
}

/* Starts the web server on app_host with cfg, runs body, then stops the
 * server; returns body's result (or webapp_start's error). */
static int with_server(asyncio_coro_fn body, webapp_config_t cfg) {
    cfg.host = app_host;
    cfg.quiet = true;
    int err = webapp_start(&cfg, &app);
    CHECK_EQ(err, 0);
    if (err) return err;
    port = webapp_port(app);
    int r = body(NULL);
    CHECK_EQ(webapp_stop(app, 500), 0);
    return r;
}

/* A scenario: a body run against the server started with cfg. */
struct scenario {
    asyncio_coro_fn body;
    webapp_config_t cfg;
};

/* A loop's main for one scenario; arg: a struct scenario. */
static int scenario_main(void *arg) {
    struct scenario *sc = arg;
    return with_server(sc->body, sc->cfg);
}

/* ---- requests ----------------------------------------------------------------------------- */

static int body_basic(void *arg) {
    (void)arg;
    static struct response r;
    CHECK_EQ(request("GET / HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
    CHECK(r.body_len > 100 && memmem(r.body, r.body_len, "EventSource", 11) != NULL);
    CHECK(memmem(r.body, r.body_len, "<p>Sensor:", 10) == NULL); /* no sensor, no line */
    CHECK_EQ(request("GET /state HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
    CHECK(memmem(r.body, r.body_len, "sensor", 6) == NULL);
    CHECK_EQ(request("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", &r), 404);
    CHECK_EQ(request("DELETE / HTTP/1.1\r\nHost: x\r\n\r\n", &r), 405);
    CHECK_EQ(request("GET /led/19/toggle HTTP/1.1\r\nHost: x\r\n\r\n", &r), 405);
    CHECK_EQ(request("GET / HTTP/1.1\r\n\r\n", &r), 400);
    CHECK(r.close);
    CHECK_EQ(request("GARBAGE\r\n\r\n", &r), 400);
    CHECK_EQ(request("GET / HTTP/1.1\nHost: x\n\n", &r), 400);
    CHECK_EQ(request("GET / HTTP/3.0\r\nHost: x\r\n\r\n", &r), 505);
    CHECK_EQ(request("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999\r\n\r\n", &r), 413);
    CHECK_EQ(request("HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", &r),
             -EPROTO); /* headers only: the announced body never comes */

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
    strcpy(big, "GET /");
    memset(big + 5, 'p', 9000);
    strcpy(big + 9005, " HTTP/1.1\r\nHost: x\r\n\r\n");
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

/* ---- keep-alive and pipelining ------------------------------------------------------------ */

static int body_keepalive(void *arg) {
    (void)arg;
    static struct response r;
    asyncio_stream_t *s;
    CHECK_EQ(asyncio_open_connection(app_host, port, &s), 0);
    for (int i = 0; i < 3; i++) { /* one after the other on one connection */
        send_request(s, "GET /state HTTP/1.1\r\nHost: x\r\n\r\n");
        CHECK_EQ(read_response(s, &r), 200);
        CHECK(!r.close);
    }
    /* pipelined: three requests in one write, three answers in order */
    send_request(s, "GET /state HTTP/1.1\r\nHost: x\r\n\r\n"
                    "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n"
                    "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK_EQ(read_response(s, &r), 200);
    CHECK(r.body[0] == '{');
    CHECK_EQ(read_response(s, &r), 404);
    CHECK_EQ(read_response(s, &r), 200);
    CHECK(r.close);
    char c;
    CHECK_EQ(asyncio_stream_read(s, &c, 1), 0); /* the server closed */
    asyncio_stream_close(s);
    /* HTTP/1.0 closes by default */
    CHECK_EQ(request("GET /state HTTP/1.0\r\n\r\n", &r), 200);
    CHECK(r.close);
    return 0;
}

static void test_keepalive_and_pipelining(void) {
    CHECK_EQ(run_scenario(body_keepalive, (webapp_config_t){0}), 0);
}

/* ---- a slow client ------------------------------------------------------------------------ */

/* Sends req on s one byte per 100 ms, until it is all sent or the server
 * drops the connection (seen as EOF or an error within each 100 ms).
 * Returns the error that ended it (-EPIPE for EOF), 0 if all was sent;
 * *sent: how many bytes went. */
static int drip_request(asyncio_stream_t *s, const char *req, size_t *sent) {
    int err = 0;
    *sent = 0;
    while (*sent < strlen(req)) {
        if (asyncio_stream_write(s, req + *sent, 1) < 0) break;
        ++*sent;
        if ((err = asyncio_stream_drain(s)) < 0) break;
        asyncio_timeout_t scope;
        asyncio_timeout_enter_ms(&scope, 100);
        char c;
        ssize_t n = asyncio_stream_read(s, &c, 1); /* EOF as soon as the server drops us */
        asyncio_timeout_exit(&scope);
        if (n != -ETIMEDOUT) {
            err = n == 0 ? -EPIPE : (int)n;
            break;
        }
    }
    return err;
}

/* A client connects and sends a GET one byte per 100 ms (drip_request)
 * until the server drops it; then closes. Returns how long it was served
 * (us); *sent and *err as drip_request gives them. */
static uint64_t slow_client(size_t *sent, int *err) {
    asyncio_stream_t *s;
    CHECK_EQ(asyncio_open_connection(app_host, port, &s), 0);
    uint64_t t0 = asyncio_ticks_us();
    *err = drip_request(s, "GET /state HTTP/1.1\r\nHost: x\r\n\r\n", sent);
    uint64_t took = asyncio_ticks_us() - t0;
    asyncio_stream_close(s);
    CHECK_EQ(webapp_clients(app), 0); /* and the server let it go */
    return took;
}

/* ---- too many clients: 503 ---------------------------------------------------------------- */

/* Run with max_clients = 3. */
static int body_limit(void *arg) {
    (void)arg;
    asyncio_stream_t *held[3];
    static struct response r;
    for (int i = 0; i < 3; i++) CHECK_EQ(asyncio_open_connection(app_host, port, &held[i]), 0);
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

/* ---- the event stream --------------------------------------------------------------------- */

/* Opens /events and reads its head: 200, text/event-stream. */
static asyncio_stream_t *open_event_stream(void) {
    asyncio_stream_t *s;
    CHECK_EQ(asyncio_open_connection(app_host, port, &s), 0);
    send_request(s, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
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
    return s;
}

/* The LEDs change by themselves: between min_events and max_events events
 * within window_ms; then a toggle shows up in the stream. */
static int event_stream_scenario(int window_ms, int min_events, int max_events) {
    asyncio_stream_t *s = open_event_stream();
    char line[256];
    ssize_t n;
    int events = 0;
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, window_ms);
    while ((n = asyncio_stream_readline(s, line, sizeof line - 1)) > 0)
        if (strncmp(line, "data: {", 7) == 0) events++;
    asyncio_timeout_exit(&scope);
    CHECK(events >= min_events && events <= max_events);
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

#endif
