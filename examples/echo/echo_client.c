/*
 * A TCP echo client: sends each line of its standard input (itself read as
 * an asyncio stream) to the server and prints what comes back, while a
 * second task prints a dot every second to show that nothing blocks.
 *
 *   echo_client [host] [port]          (default 127.0.0.1 8888)
 *   printf 'hello\nworld\n' | echo_client
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asyncio.h"
#include "asyncio_stream.h"

static const char *host = "127.0.0.1";
static uint16_t port = 8888;

static int ticker(void *arg) {
    (void)arg;
    while (asyncio_sleep(1.0) == 0) fputs(".", stderr);
    return 0;
}

static int main_task(void *arg) {
    (void)arg;
    asyncio_stream_t *conn;
    int err = asyncio_open_connection(host, port, &conn);
    if (err) {
        fprintf(stderr, "echo_client: %s:%u: %s\n", host, (unsigned)port, strerror(-err));
        return err;
    }
    asyncio_stream_t *in = asyncio_stream_from_fd(dup(STDIN_FILENO));
    asyncio_task_t *tick = asyncio_create_task(ticker, NULL);
    char line[4096];
    ssize_t n;
    while ((n = asyncio_stream_readline(in, line, sizeof line)) > 0) {
        if (asyncio_stream_write(conn, line, (size_t)n) < 0) break;
        ssize_t got = asyncio_stream_readexactly(conn, line, (size_t)n);
        if (got < 0) {
            fprintf(stderr, "echo_client: %s\n", strerror((int)-got));
            break;
        }
        fwrite(line, 1, (size_t)got, stdout);
        fflush(stdout);
    }
    asyncio_task_cancel(tick);
    asyncio_await(tick);
    asyncio_stream_close(in);
    return asyncio_stream_close(conn);
}

int main(int argc, char **argv) {
    if (argc > 1) host = argv[1];
    if (argc > 2) port = (uint16_t)atoi(argv[2]);
    return asyncio_run(main_task, NULL) < 0 ? 1 : 0;
}
