/* The web server example: its HTTP parser, and the server against real
 * clients on loopback (malformed and oversized requests, pipelining,
 * keep-alive, slow clients, too many clients, 2,000 idle connections, the
 * event stream), with its handlers on stacks of their own and on the
 * shared stack. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../examples/webserver/app.c"
#include "../examples/webserver/fd_limit.c"
#include "../examples/webserver/http.c"
#include "check.h"
#include "webapp_scenarios.h" /* the client, the scenarios any transport shares */

static bool under_valgrind(void) { return getenv("CASYNCIO_UNDER_VALGRIND") != NULL; }

/* ---- the parser ---------------------------------------------------------------------- */

static int parse(const char *text, http_request_t *req) {
    return http_parse_head(text, strlen(text), req);
}

static void test_parser(void) {
    http_request_t r;
    CHECK_EQ(parse("GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\nX-Y:  v  \r\n\r\n", &r), 0);
    CHECK(http_str_eq(r.method, "GET"));
    CHECK(http_str_eq(r.path, "/a/b"));
    CHECK(http_str_eq(r.query, "x=1"));
    CHECK(r.keep_alive);
    CHECK(http_str_eq(*http_header(&r, "x-y"), "v"));
    CHECK(http_header(&r, "missing") == NULL);
    CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Close\r\n\r\n", &r), 0);
    CHECK(!r.keep_alive);
    CHECK_EQ(parse("GET / HTTP/1.0\r\n\r\n", &r), 0);
    CHECK(!r.keep_alive);
    CHECK_EQ(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &r), 0);
    CHECK(r.keep_alive);
    CHECK_EQ(parse("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\n\r\n", &r), 0);
    CHECK_EQ(r.content_length, 12);

    CHECK_EQ(parse("GET / HTTP/1.1\nHost: h\r\n\r\n", &r), 400);              /* bare LF */
    CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", &r), 400); /* obs-fold */
    CHECK_EQ(parse("GET / HTTP/1.1\r\nHost : h\r\n\r\n", &r), 400);           /* space before ':' */
    CHECK_EQ(parse("GET / HTTP/1.1\r\n\r\n", &r), 400);                       /* no Host */
    CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", &r), 400);
    CHECK_EQ(parse("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", &r), 400);
    CHECK_EQ(parse("GET http://x/ HTTP/1.1\r\nHost: h\r\n\r\n", &r), 400);
    CHECK_EQ(parse("GET / HTTP/2.0\r\nHost: h\r\n\r\n", &r), 505);
    CHECK_EQ(parse("GET / HTTQ/1.1\r\nHost: h\r\n\r\n", &r), 400);
    CHECK_EQ(parse("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", &r), 400);
    CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\nA: b\x01\r\n\r\n", &r), 400);
    CHECK_EQ(parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", &r), 501);
    CHECK_EQ(
        parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", &r),
        400);
    /* Any two lengths that differ are refused, a first 0 included (smuggling). */
    CHECK_EQ(
        parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\n", &r),
        400);
    CHECK_EQ(
        parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 00\r\nContent-Length: 4096\r\n\r\n",
              &r),
        400);
    CHECK_EQ(
        parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\nContent-Length: 007\r\n\r\n", &r),
        0); /* the same length twice */
    CHECK_EQ(r.content_length, 7);
    CHECK_EQ(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", &r), 400);
    CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\n\r\nextra", &r), 400);
    CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\n", &r), 400); /* no empty line */
    CHECK_EQ(parse("", &r), 400);
    char many[4096] = "GET / HTTP/1.1\r\nHost: h\r\n";
    for (int i = 0; i < 40; i++) strcat(many, "A: b\r\n");
    strcat(many, "\r\n");
    CHECK_EQ(parse(many, &r), 431);
}

/* ---- running a scenario ------------------------------------------------------------------ */

/* 1 if this build runs shared-stack tasks (its context switch resumes
 * copied stacks), 0 if it refuses them (ucontext). */
static int nothing(void *arg) { return arg ? -EINVAL : 0; }

static int try_shared_stack_task(void *arg) {
    (void)arg;
    asyncio_task_opts_t opts = {.shared_stack = true};
    asyncio_task_t *t = asyncio_create_task_ex(nothing, NULL, &opts);
    if (!t) {
        CHECK_EQ(errno, ENOTSUP);
        return 0;
    }
    return asyncio_await(t) == 0;
}

static bool shared_stacks_offered(void) { return asyncio_run(try_shared_stack_task, NULL) == 1; }

/* Each scenario runs twice: with the handlers on stacks of their own, then
 * on the shared stack (where the build offers it: not on ucontext). */
static int run_scenario(asyncio_coro_fn body, webapp_config_t cfg) {
    struct scenario sc = {body, cfg};
    int own = asyncio_run(scenario_main, &sc);
    sc.cfg.shared_stacks = true;
    if (!shared_stacks_offered()) return own;
    int shared = asyncio_run(scenario_main, &sc);
    return own ? own : shared;
}

/* ---- slow clients, idle timeout ----------------------------------------------------------- */

static int body_slow(void *arg) {
    (void)arg;
    size_t sent;
    int err;
    uint64_t took = slow_client(&sent, &err);
    CHECK(err < 0); /* dropped before the request was complete */
    CHECK(sent < strlen("GET /state HTTP/1.1\r\nHost: x\r\n\r\n"));
    CHECK(took >= 400000 && took < 1500000);
    /* an idle keep-alive connection is dropped too */
    asyncio_stream_t *s;
    static struct response r;
    CHECK_EQ(asyncio_open_connection(app_host, port, &s), 0);
    send_request(s, "GET /state HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK_EQ(read_response(s, &r), 200);
    char c;
    uint64_t t0 = asyncio_ticks_us();
    CHECK_EQ(asyncio_stream_read(s, &c, 1), 0);
    took = asyncio_ticks_us() - t0;
    CHECK(took >= 300000 && took < 1500000);
    asyncio_stream_close(s);
    return 0;
}

static void test_slow_client_dropped_on_timeout(void) {
    CHECK_EQ(run_scenario(body_slow, (webapp_config_t){.idle_timeout_ms = 400}), 0);
}

/* ---- 2,000 idle connections ---------------------------------------------------------------- */

static int idle_n;

static int body_idle(void *arg) {
    (void)arg;
    int *fds = calloc((size_t)idle_n, sizeof *fds);
    struct sockaddr_in a = {
        .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int opened = 0;
    for (int i = 0; i < idle_n; i++) {
        fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (fds[i] < 0) break;
        connect(fds[i], (struct sockaddr *)&a, sizeof a); /* EINPROGRESS; completes on loopback */
        opened++;
        if (i % 100 == 99) asyncio_sleep_ms(1); /* let the server accept */
    }
    CHECK_EQ(opened, idle_n);
    for (int i = 0; i < 200 && webapp_clients(app) < (unsigned)opened; i++) asyncio_sleep_ms(10);
    CHECK_EQ(webapp_clients(app), (unsigned)opened);
    /* the server still answers at once */
    static struct response r;
    uint64_t t0 = asyncio_ticks_us();
    CHECK_EQ(request("GET /state HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
    CHECK(asyncio_ticks_us() - t0 < 200000);
    /* the clients go: the server closes their fds */
    for (int i = 0; i < opened; i++) close(fds[i]);
    for (int i = 0; i < 200 && webapp_clients(app) > 0; i++) asyncio_sleep_ms(10);
    CHECK_EQ(webapp_clients(app), 0);
    free(fds);
    return 0;
}

static int count_open_fds(void) {
    int n = 0;
    for (int fd = 0; fd < 65536; fd++)
        if (fcntl(fd, F_GETFD) >= 0) n++;
    return n;
}

static void test_2000_idle_connections(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    idle_n = under_valgrind() ? 200 : 2000;
    int before = count_open_fds();
    CHECK_EQ(
        run_scenario(body_idle, (webapp_config_t){.max_clients = 5000, .idle_timeout_ms = 60000}),
        0);
    CHECK_EQ(count_open_fds(), before); /* every fd closed */
}

/* ---- the event stream --------------------------------------------------------------------------
 */

static int body_events(void *arg) {
    (void)arg;
    return event_stream_scenario(1200, 2, INT_MAX); /* real time: at least two */
}

static void test_event_stream(void) {
    CHECK_EQ(run_scenario(body_events, (webapp_config_t){.heartbeat_ms = 100}), 0);
}

/* ---- a readings source ------------------------------------------------------------------ */

static const char *reading; /* what the source reports; NULL: nothing yet */

static size_t format_reading(void *ctx, char *buf, size_t n) {
    (void)ctx;
    return reading ? (size_t)snprintf(buf, n, "%s", reading) : 0;
}

static const webapp_readings_t readings = {.format = format_reading};

static int body_readings(void *arg) {
    (void)arg;
    static struct response r;
    reading = NULL;
    CHECK_EQ(request("GET /state HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
    CHECK(memmem(r.body, r.body_len, ",\"sensor\":null}", 15) != NULL);
    CHECK_EQ(request("GET / HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
    CHECK(memmem(r.body, r.body_len, "<span id=\"sensor\">waiting...</span>", 35) != NULL);
    /* what would break the JSON or the page is left out */
    reading = "1\"2\\3<4>5&6\n7 C";
    CHECK_EQ(request("GET /state HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
    CHECK(memmem(r.body, r.body_len, ",\"sensor\":\"1234567 C\"}", 21) != NULL);
    CHECK_EQ(request("GET / HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
    CHECK(memmem(r.body, r.body_len, "<span id=\"sensor\">1234567 C</span>", 34) != NULL);
    /* a new reading reaches an event stream at once */
    asyncio_stream_t *s;
    CHECK_EQ(asyncio_open_connection(app_host, port, &s), 0);
    asyncio_stream_write(s, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n", 34);
    char line[256];
    ssize_t n;
    while ((n = asyncio_stream_readline(s, line, sizeof line - 1)) > 2) {
    }
    CHECK(asyncio_stream_readline(s, line, sizeof line - 1) > 0); /* the state at connection */
    CHECK(asyncio_stream_readline(s, line, sizeof line - 1) > 0); /* its empty line */
    /* the LEDs stop (two events): from then on only the reading changes */
    CHECK_EQ(request("POST /led/19/off HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
    CHECK_EQ(request("POST /led/20/off HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 200);
    while (asyncio_stream_readline(s, line, sizeof line - 1) > 0) {
    }
    asyncio_timeout_exit(&scope);
    reading = "42 C";
    uint64_t t0 = asyncio_ticks_us();
    webapp_reading_changed(app);
    n = asyncio_stream_readline(s, line, sizeof line - 1);
    CHECK(n > 0);
    line[n > 0 ? n : 0] = 0;
    CHECK(strstr(line, "\"sensor\":\"42 C\"") != NULL);
    CHECK(asyncio_ticks_us() - t0 < 100000);
    asyncio_stream_close(s);
    return 0;
}

static void test_readings_source(void) {
    CHECK_EQ(run_scenario(body_readings, (webapp_config_t){.readings = &readings}), 0);
}

/* ---- an event stream outlives the idle limit ------------------------------------------------ */

/* The idle limit is for a client that sends no complete head: an event
 * stream that the client reads goes on past it, heartbeats included. */
static int body_long_events(void *arg) {
    (void)arg;
    asyncio_stream_t *s;
    CHECK_EQ(asyncio_open_connection(app_host, port, &s), 0);
    send_request(s, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
    char line[256];
    ssize_t n;
    int events = 0, pings = 0;
    asyncio_timeout_t scope; /* five idle limits */
    asyncio_timeout_enter_ms(&scope, 1000);
    while ((n = asyncio_stream_readline(s, line, sizeof line - 1)) > 0) {
        if (strncmp(line, "data: {", 7) == 0) events++;
        if (strncmp(line, ": ping", 6) == 0) pings++;
    }
    asyncio_timeout_exit(&scope);
    CHECK_EQ(n, -ETIMEDOUT); /* not 0: the server did not close the stream */
    CHECK(events >= 2);
    CHECK(pings >= 1);
    asyncio_stream_close(s);
    return 0;
}

static void test_event_stream_outlives_idle_limit(void) {
    /* the LEDs blink every 500 ms, so the heartbeat (150 ms) fires in between */
    CHECK_EQ(run_scenario(body_long_events,
                          (webapp_config_t){.idle_timeout_ms = 200, .heartbeat_ms = 150}),
             0);
}

/* ---- clients that never read their answers ---------------------------------------------- */

/* Four clients pipeline thousands of requests and never read: each handler
 * gives up after the idle limit, and the connection must go with it (not
 * stay behind, draining into a client that never reads, fd and task held). */
static int body_non_readers(void *arg) {
    (void)arg;
    enum { CLIENTS = 4, REQUESTS = 4000 };
    static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    char *burst = malloc(REQUESTS * (sizeof req - 1));
    for (int i = 0; i < REQUESTS; i++) memcpy(burst + i * (sizeof req - 1), req, sizeof req - 1);
    asyncio_stream_t *c[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        CHECK_EQ(asyncio_open_connection(app_host, port, &c[i]), 0);
        int small = 4096; /* the answers pile up on the server's side */
        setsockopt(asyncio_stream_fd(c[i]), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        asyncio_stream_write(c[i], burst, REQUESTS * (sizeof req - 1));
    }
    free(burst);
    asyncio_server_t *srv = app->server;
    for (int i = 0; i < 50 && asyncio_server_clients(srv) < CLIENTS; i++) asyncio_sleep_ms(10);
    CHECK_EQ(asyncio_server_clients(srv), CLIENTS);
    /* within twice the idle limit (answer, then close) every connection is gone */
    for (int i = 0; i < 300 && asyncio_server_clients(srv) > 0; i++) asyncio_sleep_ms(10);
    CHECK_EQ(asyncio_server_clients(srv), 0);
    CHECK_EQ(webapp_clients(app), 0);
    /* and a newcomer is served */
    static struct response r;
    CHECK_EQ(request("GET /state HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
    for (int i = 0; i < CLIENTS; i++) asyncio_stream_close(c[i]);
    return 0;
}

static void test_non_reading_clients_are_reset(void) {
    CHECK_EQ(
        run_scenario(body_non_readers, (webapp_config_t){.max_clients = 4, .idle_timeout_ms = 300}),
        0);
}

/* ---- the default client limit follows the descriptor limit -------------------------------- */

static int body_many_browsers(void *arg) {
    (void)arg;
    enum { BROWSERS = 200 };
    static asyncio_stream_t *b[BROWSERS];
    static struct response r;
    int ok = 0;
    for (int i = 0; i < BROWSERS; i++) CHECK_EQ(asyncio_open_connection(app_host, port, &b[i]), 0);
    for (int i = 0; i < BROWSERS; i++) { /* all of them open at once, kept alive */
        send_request(b[i], "GET /state HTTP/1.1\r\nHost: x\r\n\r\n");
        if (read_response(b[i], &r) == 200 && !r.close) ok++;
    }
    CHECK_EQ(ok, BROWSERS);
    CHECK_EQ(webapp_refused(app), 0);
    CHECK_EQ(webapp_clients(app), BROWSERS);
    for (int i = 0; i < BROWSERS; i++) asyncio_stream_close(b[i]);
    return 0;
}

static void test_default_max_clients_from_fd_limit(void) {
    struct rlimit saved, rl;
    CHECK_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
    rl = saved;
    rl.rlim_cur = 1024 < saved.rlim_max ? 1024 : saved.rlim_max; /* the usual soft limit */
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
    CHECK_EQ(webapp_default_max_clients(), (unsigned)rl.rlim_cur - WEBAPP_RESERVED_FDS);
    if (rl.rlim_cur >= 512) /* 200 browsers and this process's own 200 client ends */
        CHECK_EQ(run_scenario(body_many_browsers, (webapp_config_t){0}), 0);
    rl.rlim_cur = 40;
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
    CHECK_EQ(webapp_default_max_clients(), 20); /* tiny: half of it */
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
}

int main(void) {
    app_host = "127.0.0.1";
    RUN(test_parser);
    RUN(test_requests_and_errors);
    RUN(test_keepalive_and_pipelining);
    RUN(test_slow_client_dropped_on_timeout);
    RUN(test_max_clients_get_503);
    RUN(test_2000_idle_connections);
    RUN(test_event_stream);
    RUN(test_readings_source);
    RUN(test_event_stream_outlives_idle_limit);
    RUN(test_non_reading_clients_are_reset);
    RUN(test_default_max_clients_from_fd_limit);
    machine_pin_sim_reset();
    return check_summary();
}
