/*
 * HTTP/1.1 keep-alive against the LED web server (examples/webserver), the
 * server and its clients in one process on one loop:
 *   - requests/s: `clients` connections each sending GET /state and reading
 *     the answer, one after the other, for `seconds`;
 *   - memory per connection: the process's RSS before and after opening
 *     `idle` more connections that send nothing (both ends are in the
 *     process, so a figure is for one client end and one server end).
 * Built twice: over lwIP (BENCH_LWIP: two lwIP interfaces wired back to back
 * in the process) and over the kernel's sockets (loopback). Prints one JSON
 * line.
 *   bench_http_<transport> [seconds] [clients] [idle]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#ifdef BENCH_LWIP
#include "asyncio_lwip.h"
#define TRANSPORT "lwip"
#define HOST      ASYNCIO_LWIP_WIRE_B
#else
#define TRANSPORT "posix"
#define HOST      "127.0.0.1"
#endif

static double seconds = 3;
static int clients = 50, idle = 1000;
static uint16_t port;
static volatile bool stop_clients;
static unsigned long requests;

static double wall_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_bytes(void) {
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return 0;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    fclose(f);
    return resident * sysconf(_SC_PAGESIZE);
}

/* One response: the head line by line, then Content-Length bytes. */
static int read_response(asyncio_stream_t *s) {
    char line[256], body[512];
    size_t len = 0;
    ssize_t n = asyncio_stream_readline(s, line, sizeof line);
    if (n <= 0 || strncmp(line, "HTTP/1.1 200", 12) != 0) return -EPROTO;
    while ((n = asyncio_stream_readline(s, line, sizeof line - 1)) > 2) {
        line[n] = 0;
        if (strncasecmp(line, "Content-Length:", 15) == 0) len = (size_t)atol(line + 15);
    }
    if (n <= 0 || len > sizeof body) return -EPROTO;
    return asyncio_stream_readexactly(s, body, len) == (ssize_t)len ? 0 : -EPROTO;
}

static int keepalive_client(void *arg) {
    (void)arg;
    static const char req[] = "GET /state HTTP/1.1\r\nHost: bench\r\n\r\n";
    asyncio_stream_t *s;
    int err = asyncio_open_connection(HOST, port, &s);
    if (err) return err;
    while (!stop_clients && !err) {
        if (asyncio_stream_write(s, req, sizeof req - 1) < 0) err = -EPIPE;
        if (!err) err = read_response(s);
        if (!err) requests++;
    }
    asyncio_stream_close(s);
    return err;
}

static int main_task(void *arg) {
    (void)arg;
#ifdef BENCH_LWIP
    asyncio_lwip_wire_up();
#endif
    webapp_t *app;
    webapp_config_t cfg = {
        .host = HOST, .max_clients = 100000, .idle_timeout_ms = 600000, .quiet = true};
    int err = webapp_start(&cfg, &app);
    if (err) return err;
    port = webapp_port(app);

    asyncio_task_t **tasks = calloc((size_t)clients, sizeof *tasks);
    asyncio_task_opts_t opts = {.stack_size = 16384};
    for (int i = 0; i < clients; i++)
        tasks[i] = asyncio_create_task_ex(keepalive_client, NULL, &opts);
    asyncio_sleep_ms(200); /* connected and warm */
    unsigned long r0 = requests;
    double t0 = wall_s();
    asyncio_sleep_ms((uint32_t)(seconds * 1000));
    double rps = (double)(requests - r0) / (wall_s() - t0);
    stop_clients = true;
    int failed = 0;
    for (int i = 0; i < clients; i++) failed += asyncio_await(tasks[i]) != 0;
    free(tasks);

    asyncio_stream_t **conns = calloc((size_t)idle, sizeof *conns);
    asyncio_sleep_ms(100);
    long before = rss_bytes();
    int opened = 0;
    for (int i = 0; i < idle; i++, opened++)
        if (asyncio_open_connection(HOST, port, &conns[i]) != 0) break;
    for (int i = 0; i < 100 && webapp_clients(app) < (unsigned)opened; i++) asyncio_sleep_ms(10);
    long per_conn = opened ? (rss_bytes() - before) / opened : 0;
    for (int i = 0; i < opened; i++) asyncio_stream_close(conns[i]);
    free(conns);

    printf("{\"transport\": \"%s\", \"clients\": %d, \"requests_per_s\": %.0f, \"failed_clients\": "
           "%d, "
           "\"idle_connections\": %d, \"rss_per_connection_bytes\": %ld}\n",
           TRANSPORT, clients, rps, failed, opened, per_conn);
    return webapp_stop(app, 1000);
}

int main(int argc, char **argv) {
    if (argc > 1) seconds = atof(argv[1]);
    if (argc > 2) clients = atoi(argv[2]);
    if (argc > 3) idle = atoi(argv[3]);
    return asyncio_run(main_task, NULL) < 0 ? 1 : 0;
}
