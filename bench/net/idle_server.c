/*
 * What an idle connection costs a server whose handlers run on the shared
 * stack (asyncio_task_opts_t.shared_stack) or on stacks of their own.
 *
 *   idle_server shared|private PORT
 *
 * Listens on 127.0.0.1:PORT and serves each connection in a task of the
 * chosen kind that echoes lines (readline into a 256-byte local, write,
 * drain) until the peer closes. The library's server (asyncio_start_server)
 * runs its handlers on stacks of their own, so this one accepts by itself:
 * a listening socket, asyncio_wait_readable, accept4. bench/net/run.sh
 * measures its RSS per idle connection with idle_conns.py.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "asyncio.h"
#include "asyncio_stream.h"

static asyncio_task_opts_t handler_opts = {.name = "idle-handler"};

static int echo_lines(void *arg) {
    asyncio_stream_t *s = arg;
    char line[256];
    ssize_t n;
    while ((n = asyncio_stream_readline(s, line, sizeof line)) > 0)
        if (asyncio_stream_write(s, line, (size_t)n) < 0 || asyncio_stream_drain(s) < 0) break;
    return asyncio_stream_close(s);
}

static int acceptor(void *arg) {
    int lfd = (int)(intptr_t)arg;
    for (;;) {
        int rc = asyncio_wait_readable(lfd);
        if (rc < 0) return rc;
        int fd;
        while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
            asyncio_stream_t *s = asyncio_stream_from_fd(fd);
            asyncio_task_t *t = s ? asyncio_create_task_ex(echo_lines, s, &handler_opts) : NULL;
            if (t)
                asyncio_task_detach(t);
            else if (s)
                asyncio_stream_close(s);
            else
                close(fd);
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -errno;
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s shared|private PORT\n", argv[0]);
        return 2;
    }
    handler_opts.shared_stack = strcmp(argv[1], "shared") == 0;
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2]))};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 4096) != 0) {
        perror("listen");
        return 1;
    }
    int rc = asyncio_run(acceptor, (void *)(intptr_t)lfd);
    fprintf(stderr, "idle_server: %s\n", strerror(-rc));
    return 1;
}
