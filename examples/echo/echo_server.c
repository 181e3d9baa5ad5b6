/*
 * A TCP echo server: every line a client sends comes back. One task per
 * client, started by the server; Ctrl-C stops accepting, lets the clients
 * finish for a second, then exits.
 *
 *   echo_server [host] [port]          (default 127.0.0.1 8888)
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asyncio.h"
#include "asyncio_stream.h"

static asyncio_flag_t interrupted = ASYNCIO_FLAG_INIT;
static const char *host = "127.0.0.1";
static uint16_t port = 8888;

static void on_signal(int sig) {
    (void)sig;
    asyncio_flag_set(&interrupted);
}

/* Runs in its own task for each client; the server closes the stream after. */
static int echo(asyncio_stream_t *s, void *arg) {
    (void)arg;
    char buf[4096];
    for (;;) {
        ssize_t n = asyncio_stream_read(s, buf, sizeof buf);
        if (n <= 0) return 0; /* end of file, reset, or the server stopping */
        if (asyncio_stream_write(s, buf, (size_t)n) < 0) return 0;
        if (asyncio_stream_drain(s) < 0) return 0; /* back-pressure */
    }
}

static int main_task(void *arg) {
    (void)arg;
    asyncio_server_t *srv = asyncio_start_server(echo, NULL, host, port, 0);
    if (!srv) {
        fprintf(stderr, "echo_server: %s:%u: %s\n", host, (unsigned)port, strerror(errno));
        return -errno;
    }
    fprintf(stderr, "echo_server: listening on %s port %u\n", host,
            (unsigned)asyncio_server_port(srv));
    asyncio_flag_wait(&interrupted);
    asyncio_server_close(srv);
    asyncio_timeout_t grace;
    asyncio_timeout_enter_ms(&grace, 1000);
    asyncio_server_wait_closed(srv);
    asyncio_timeout_exit(&grace);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1) host = argv[1];
    if (argc > 2) port = (uint16_t)atoi(argv[2]);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    return asyncio_run(main_task, NULL) < 0 ? 1 : 0;
}
