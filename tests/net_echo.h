/* The echo handlers, clients and server scenarios that the server tests
 * share, over sockets (test_net.c) and over lwIP (lwip/test_lwip_net.c):
 * the same calls on either transport, given the addresses to use. */
#ifndef CASYNCIO_TEST_NET_ECHO_H
#define CASYNCIO_TEST_NET_ECHO_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asyncio.h"
#include "asyncio_stream.h"
#include "check.h" /* after asyncio.h */

/* Echoes lines until the peer closes. */
static int echo_handler(asyncio_stream_t *s, void *arg) {
    (void)arg;
    char line[256];
    for (;;) {
        ssize_t n = asyncio_stream_readline(s, line, sizeof line);
        if (n <= 0) return n == 0 || n == -ECONNRESET ? 0 : (int)n;
        if (asyncio_stream_write(s, line, (size_t)n) < 0) return 0;
        if (asyncio_stream_drain(s) < 0) return 0;
    }
}

/* Where handlers' locals are. With asyncio_server_opts_t.shared_stack every
 * handler runs on the loop's one shared stack, at the same depth, so each
 * one's `line` is at the same address, even while all of them are
 * suspended at once (each keeps its frames in a copy meanwhile); on stacks
 * of their own they are not. */
struct handler_places {
    uintptr_t first; /* the first handler's `line` */
    int handlers, at_first;
};

/* echo_handler's loop, noting where its `line` is; arg: a struct handler_places. */
static int placed_echo_handler(asyncio_stream_t *s, void *arg) {
    struct handler_places *p = arg;
    char line[256];
    if (p->handlers++ == 0) p->first = (uintptr_t)line;
    if ((uintptr_t)line == p->first) p->at_first++;
    for (;;) {
        ssize_t n = asyncio_stream_readline(s, line, sizeof line); /* suspends, frames copied out */
        if (n <= 0) return n == 0 || n == -ECONNRESET ? 0 : (int)n;
        if (asyncio_stream_write(s, line, (size_t)n) < 0) return 0;
        if (asyncio_stream_drain(s) < 0) return 0;
    }
}

struct echo_job {
    const char *host;
    uint16_t port;
    int id, rounds;
};

/* A client: connects, sends `rounds` lines and checks each echo. */
static int echo_client(void *arg) {
    struct echo_job *j = arg;
    asyncio_stream_t *s;
    int err = asyncio_open_connection(j->host, j->port, &s);
    if (err) return err;
    char out[64], in[64];
    for (int r = 0; r < j->rounds; r++) {
        int len = snprintf(out, sizeof out, "client %d round %d\n", j->id, r);
        if (asyncio_stream_write(s, out, (size_t)len) != len) break;
        ssize_t n = asyncio_stream_readline(s, in, sizeof in);
        if (n != len || memcmp(in, out, (size_t)len) != 0) {
            asyncio_stream_close(s);
            return n < 0 ? (int)n : -EPROTO;
        }
    }
    return asyncio_stream_close(s);
}

/* n clients of host:port, all connected at once, each echoing 3 lines.
 * Returns 0 when all of them succeeded, else how many failed (the first
 * few are printed). */
static int echo_clients(const char *host, uint16_t port, int n) {
    struct echo_job *jobs = calloc((size_t)n, sizeof *jobs);
    asyncio_task_t **tasks = calloc((size_t)n, sizeof *tasks);
    int *results = calloc((size_t)n, sizeof *results);
    asyncio_task_opts_t opts = {.stack_size = 16384};
    for (int i = 0; i < n; i++) {
        jobs[i] = (struct echo_job){host, port, i, 3};
        tasks[i] = asyncio_create_task_ex(echo_client, &jobs[i], &opts);
    }
    asyncio_gather(tasks, (size_t)n, results, ASYNCIO_RETURN_EXCEPTIONS);
    int failed = 0;
    for (int i = 0; i < n; i++)
        if (results[i] != 0 && failed++ < 5) fprintf(stderr, "client %d: %d\n", i, results[i]);
    free(jobs);
    free(tasks);
    free(results);
    return failed;
}

/* ---- handlers ------------------------------------------------------------------------------ */

/* Reads until the connection ends; a cancel (the server's wait_closed
 * timing out) ends it cleanly. */
static int idle_handler(asyncio_stream_t *s, void *arg) {
    (void)arg;
    char buf[16];
    for (;;) {
        ssize_t n = asyncio_stream_read(s, buf, sizeof buf);
        if (n <= 0) return n == -ECANCELED ? 0 : (int)n;
    }
}

/* Reads a line, takes 30 ms over it, then answers "done\n". */
static int slow_handler(asyncio_stream_t *s, void *arg) {
    (void)arg;
    char line[32];
    ssize_t n = asyncio_stream_readline(s, line, sizeof line);
    if (n <= 0) return (int)n;
    asyncio_sleep_ms(30);
    asyncio_stream_write(s, "done\n", 5);
    return 0;
}

/* ---- scenarios ----------------------------------------------------------------------------- */

/* Connects to host at the discard port (9), where nothing listens in these
 * tests, and closes again; returns the connect's result. arg: the host. */
static int connect_task(void *arg) {
    asyncio_stream_t *s;
    int err = asyncio_open_connection(arg, 9, &s);
    if (!err) asyncio_stream_close(s);
    return err;
}

/* An echo server listening at listen_host (NULL: every address) with the
 * given backlog serves n clients of connect_host at once (echo_clients),
 * then closes. Returns 0, or -errno if it could not start. */
static int echo_server_serves(const char *listen_host, const char *connect_host, int backlog,
                              int n) {
    asyncio_server_t *srv = asyncio_start_server(echo_handler, NULL, listen_host, 0, backlog);
    CHECK(srv != NULL);
    if (!srv) return -errno;
    uint16_t port = asyncio_server_port(srv);
    CHECK(port != 0);
    CHECK_EQ(echo_clients(connect_host, port, n), 0);
    asyncio_server_close(srv);
    CHECK_EQ(asyncio_server_wait_closed(srv), 0);
    return 0;
}

/* A server on host with opts (NULL: the defaults) whose handlers note
 * where their locals are (placed_echo_handler, into *places) serves n
 * clients at once, then closes. Returns 0, or -errno if it could not
 * start (nothing checked then: the caller says what it expects). */
static int placed_echo_serves(const char *host, const asyncio_server_opts_t *opts, int n,
                              struct handler_places *places) {
    asyncio_server_t *srv = asyncio_start_server_ex(placed_echo_handler, places, host, 0, opts);
    if (!srv) return -errno;
    CHECK_EQ(echo_clients(host, asyncio_server_port(srv), n), 0);
    asyncio_server_close(srv);
    CHECK_EQ(asyncio_server_wait_closed(srv), 0);
    return 0;
}

/* A client of host:port sends msg and waits for a reply that never comes:
 * the peer resets the connection. Returns what the read gave, having
 * checked that a second read gives it again (it is sticky). */
static ssize_t reset_mid_read(const char *host, uint16_t port, const char *msg) {
    asyncio_stream_t *s;
    CHECK_EQ(asyncio_open_connection(host, port, &s), 0);
    CHECK_EQ(asyncio_stream_write(s, msg, strlen(msg)), (ssize_t)strlen(msg));
    char buf[16];
    ssize_t r = asyncio_stream_read(s, buf, sizeof buf);
    CHECK_EQ(asyncio_stream_read(s, buf, sizeof buf), r); /* sticky */
    asyncio_stream_close(s);
    return r;
}

/* A client of host:port keeps writing 64 KiB blocks (at most `blocks`),
 * draining each, after the peer reset the connection. Returns the error
 * that stopped it, having checked that close returns it too. */
static int reset_mid_write(const char *host, uint16_t port, int blocks) {
    asyncio_stream_t *s;
    CHECK_EQ(asyncio_open_connection(host, port, &s), 0);
    static char block[65536];
    int err = 0;
    for (int i = 0; i < blocks && err == 0; i++) {
        ssize_t w = asyncio_stream_write(s, block, sizeof block);
        err = w < 0 ? (int)w : asyncio_stream_drain(s);
    }
    CHECK_EQ(asyncio_stream_close(s), err);
    return err;
}

/* server_close lets the clients it has finish: a server on every address
 * (NULL host) with slow_handler, a client of host_a and one of host_b
 * each sends a line; the server closes meanwhile, refuses a latecomer,
 * and answers both to the end. Then an address in use, and no handler,
 * are refused. */
static int close_lets_clients_finish(const char *host_a, const char *host_b) {
    asyncio_server_t *srv = asyncio_start_server(slow_handler, NULL, NULL, 0, 0);
    CHECK(srv != NULL);
    if (!srv) return -errno;
    uint16_t port = asyncio_server_port(srv);
    asyncio_stream_t *a, *b;
    CHECK_EQ(asyncio_open_connection(host_a, port, &a), 0);
    CHECK_EQ(asyncio_open_connection(host_b, port, &b), 0);
    asyncio_stream_write(a, "go\n", 3);
    asyncio_stream_write(b, "go\n", 3);
    asyncio_sleep_ms(5);
    asyncio_server_close(srv);
    asyncio_stream_t *late;
    CHECK_EQ(asyncio_open_connection(host_a, port, &late), -ECONNREFUSED);
    char buf[8];
    CHECK_EQ(asyncio_stream_readline(a, buf, sizeof buf), 5); /* served to the end */
    CHECK_EQ(asyncio_stream_readline(b, buf, sizeof buf), 5);
    CHECK_EQ(asyncio_server_wait_closed(srv), 0);
    asyncio_stream_close(a);
    asyncio_stream_close(b);
    /* an address in use */
    asyncio_server_t *one = asyncio_start_server(slow_handler, NULL, host_a, 0, 0);
    CHECK(asyncio_start_server(slow_handler, NULL, host_a, asyncio_server_port(one), 0) == NULL);
    CHECK_EQ(errno, EADDRINUSE);
    CHECK(asyncio_start_server(NULL, NULL, host_a, 0, 0) == NULL);
    CHECK_EQ(errno, EINVAL);
    asyncio_server_close(one);
    CHECK_EQ(asyncio_server_wait_closed(one), 0);
    return 0;
}

/* `n` clients connect to srv (listening at host) and stay idle; then
 * wait_closed under a timeout: the clients' handlers are cancelled, their
 * connections closed, the server freed. */
static int idle_clients_cut_off(asyncio_server_t *srv, const char *host, int n) {
    CHECK(srv != NULL);
    if (!srv) return -errno;
    asyncio_stream_t **c = calloc((size_t)n, sizeof *c);
    for (int i = 0; i < n; i++)
        CHECK_EQ(asyncio_open_connection(host, asyncio_server_port(srv), &c[i]), 0);
    CHECK_EQ(asyncio_stream_write(c[0], "early bytes", 11), 11); /* read, then idle again */
    asyncio_sleep_ms(10);
    CHECK_EQ(asyncio_server_clients(srv), (size_t)n);
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 20);
    CHECK_EQ(asyncio_server_wait_closed(srv), -ETIMEDOUT);
    CHECK(asyncio_timeout_exit(&scope));
    char buf[4];
    for (int i = 0; i < n; i++) {
        CHECK_EQ(asyncio_stream_read(c[i], buf, sizeof buf), 0); /* the server closed them */
        asyncio_stream_close(c[i]);
    }
    free(c);
    return 0;
}

#endif
