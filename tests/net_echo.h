/* The echo handlers and clients that the server tests share, over sockets
 * (test_net.c) and over lwIP (lwip/test_lwip_net.c): the same calls on
 * either transport. */
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
