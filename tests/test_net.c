/* TCP on loopback: echo with many clients, IPv6, name lookup, refused and
 * reset connections, cancellation, server shutdown, handlers on the shared
 * stack. */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "asyncio.h"
#include "asyncio_stream.h"
#include "check.h"
#include "net_echo.h"

static bool under_valgrind(void) { return getenv("CASYNCIO_UNDER_VALGRIND") != NULL; }

static void raise_fd_limit(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* ---- an echo server (net_echo.h) ------------------------------------------------------ */

static int clients_n;

static int main_echo_many(void *arg) {
    const char *host = arg;
    return echo_server_serves(host, host, 1024, clients_n);
}

static void test_echo_1000_clients(void) {
    raise_fd_limit();
    clients_n = under_valgrind() ? 100 : 1000;
    CHECK_EQ(asyncio_run(main_echo_many, "127.0.0.1"), 0);
}

static void test_echo_ipv6_and_names(void) {
    clients_n = 10;
    CHECK_EQ(asyncio_run(main_echo_many, "::1"), 0);
    CHECK_EQ(asyncio_run(main_echo_many, "[::1]"), 0);
    CHECK_EQ(asyncio_run(main_echo_many, "localhost"), 0); /* looked up in a thread */
}

/* ---- refused, reset ------------------------------------------------------------------------ */

static uint16_t closed_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    bind(fd, (struct sockaddr *)&a, sizeof a);
    getsockname(fd, (struct sockaddr *)&a, &len);
    close(fd); /* bound, never listened, closed: nothing listens there */
    return ntohs(a.sin_port);
}

static int main_refused(void *arg) {
    (void)arg;
    asyncio_stream_t *s = (asyncio_stream_t *)1;
    CHECK_EQ(asyncio_open_connection("127.0.0.1", closed_port(), &s), -ECONNREFUSED);
    CHECK(s == NULL);
    CHECK_EQ(asyncio_open_connection("::1", closed_port(), &s), -ECONNREFUSED);
    CHECK_EQ(asyncio_open_connection(NULL, 80, &s), -EINVAL);
    CHECK_EQ(asyncio_open_connection("127.0.0.1", 80, NULL), -EINVAL);
    return 0;
}

static void test_connect_refused(void) {
    CHECK_EQ(asyncio_run(main_refused, NULL), 0);
    asyncio_stream_t *s;
    CHECK_EQ(asyncio_open_connection("127.0.0.1", 1, &s), -EPERM);
}

/* The handler resets the connection (SO_LINGER 0) after reading `arg` bytes. */
static int resetting_handler(asyncio_stream_t *s, void *arg) {
    size_t want = (size_t)(uintptr_t)arg;
    char buf[4096];
    while (want > 0) {
        ssize_t n = asyncio_stream_read(s, buf, want < sizeof buf ? want : sizeof buf);
        if (n <= 0) break;
        want -= (size_t)n;
    }
    struct linger lg = {1, 0};
    setsockopt(asyncio_stream_fd(s), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    shutdown(asyncio_stream_fd(s), SHUT_RD);
    return 0;
}

static int main_reset(void *arg) {
    (void)arg;
    asyncio_server_t *srv =
        asyncio_start_server(resetting_handler, (void *)(uintptr_t)5, "127.0.0.1", 0, 0);
    CHECK(srv != NULL);
    uint16_t port = asyncio_server_port(srv);
    /* mid-read: the client waits for a reply that never comes */
    ssize_t r = reset_mid_read("127.0.0.1", port, "hello");
    CHECK(r == -ECONNRESET || r == 0);
    /* mid-write: the client keeps writing after the reset */
    int err = reset_mid_write("127.0.0.1", port, 1000);
    CHECK(err == -EPIPE || err == -ECONNRESET);
    asyncio_server_close(srv);
    CHECK_EQ(asyncio_server_wait_closed(srv), 0);
    return 0;
}

static void test_peer_reset_mid_read_and_write(void) {
    signal(SIGPIPE, SIG_DFL); /* a SIGPIPE would kill the test */
    CHECK_EQ(asyncio_run(main_reset, NULL), 0);
}

/* A server gives up on a client that does not read: what it queued is
 * dropped, the client sees a reset, and the stream refuses everything after. */
static int aborting_handler(asyncio_stream_t *s, void *arg) {
    (void)arg;
    static char block[1 << 20];
    size_t queued = 0;
    while (queued < 16u * sizeof block) { /* far more than the kernel's buffers take */
        ssize_t w = asyncio_stream_write(s, block, sizeof block);
        if (w < 0) return (int)w;
        queued += (size_t)w;
    }
    CHECK_EQ(asyncio_stream_abort(s), 0);
    CHECK_EQ(asyncio_stream_write(s, "x", 1), -ECONNRESET);
    CHECK_EQ(asyncio_stream_drain(s), -ECONNRESET); /* nothing left to wait for */
    char c;
    CHECK_EQ(asyncio_stream_read(s, &c, 1), -ECONNRESET);
    CHECK_EQ(asyncio_stream_abort(s), 0); /* again: nothing more to do */
    return 0;                             /* the server's close frees it at once */
}

static int main_abort(void *arg) {
    (void)arg;
    asyncio_server_t *srv = asyncio_start_server(aborting_handler, NULL, "127.0.0.1", 0, 0);
    CHECK(srv != NULL);
    asyncio_stream_t *s;
    CHECK_EQ(asyncio_open_connection("127.0.0.1", asyncio_server_port(srv), &s), 0);
    CHECK_EQ(asyncio_sleep_ms(100), 0); /* the handler queues and aborts meanwhile */
    static char buf[1 << 16];
    size_t got = 0;
    ssize_t r;
    while ((r = asyncio_stream_read(s, buf, sizeof buf)) > 0) got += (size_t)r;
    CHECK_EQ(r, -ECONNRESET);
    CHECK(got < 16u << 20); /* the rest was dropped, not sent */
    asyncio_stream_close(s);
    asyncio_server_close(srv);
    CHECK_EQ(asyncio_server_wait_closed(srv), 0);
    return 0;
}

static void test_abort_resets_and_drops_what_is_queued(void) {
    CHECK_EQ(asyncio_run(main_abort, NULL), 0);
}

/* ---- cancellation and timeouts (handlers and clients: net_echo.h) ------------------------- */

static int main_cancel(void *arg) {
    (void)arg;
    /* cancelled during the name lookup (the worker finishes alone) */
    asyncio_task_t *t = asyncio_create_task(connect_task, "localhost");
    asyncio_yield();
    asyncio_task_cancel(t);
    CHECK_EQ(asyncio_await(t), -ECANCELED);
    /* an expired scope: at once */
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 0);
    asyncio_stream_t *s;
    CHECK_EQ(asyncio_open_connection("127.0.0.1", 9, &s), -ETIMEDOUT);
    asyncio_timeout_exit(&scope);

    /* wait_closed with clients still connected, under a timeout */
    asyncio_server_t *srv = asyncio_start_server(idle_handler, NULL, "127.0.0.1", 0, 0);
    CHECK_EQ(idle_clients_cut_off(srv, "127.0.0.1", 3), 0);
    return 0;
}

static void test_cancel_connect_and_wait_closed(void) {
    CHECK_EQ(asyncio_run(main_cancel, NULL), 0);
}

/* ---- server_close lets clients finish ---------------------------------------------------------
 */

static int main_graceful(void *arg) {
    (void)arg;
    return close_lets_clients_finish("127.0.0.1", "::1"); /* NULL host: both families */
}

static void test_server_close_lets_clients_finish(void) {
    CHECK_EQ(asyncio_run(main_graceful, NULL), 0);
}

/* ---- handlers on the shared stack --------------------------------------------------------- */

/* Echo handlers that note where their locals are (net_echo.h): on
 * the shared stack, all at one address. */
static int main_shared_stack_server(void *arg) {
    (void)arg;
    struct handler_places shared = {0}, own = {0};
    asyncio_server_opts_t opts = {.shared_stack = true};
    int err = placed_echo_serves("127.0.0.1", &opts, clients_n, &shared);
    if (err) { /* a build whose switch cannot resume a copied stack (ucontext) */
        CHECK_EQ(err, -ENOTSUP);
        asyncio_task_opts_t task_opts = {.shared_stack = true};
        CHECK(asyncio_create_task_ex(main_shared_stack_server, NULL, &task_opts) == NULL);
        CHECK_EQ(errno, ENOTSUP); /* as the task kind itself says */
        return 0;
    }
    CHECK_EQ(shared.handlers, clients_n);
    CHECK_EQ(shared.at_first, clients_n); /* one stack served them all */

    /* the default, for comparison: a stack per handler (NULL opts) */
    CHECK_EQ(placed_echo_serves("127.0.0.1", NULL, clients_n, &own), 0);
    CHECK_EQ(own.handlers, clients_n);
    CHECK(own.at_first < clients_n);

    /* idle connections, then a wait_closed that times out: the suspended
     * handlers resume from their copies, cancelled */
    opts.backlog = 64;
    asyncio_server_t *srv = asyncio_start_server_ex(idle_handler, NULL, "127.0.0.1", 0, &opts);
    CHECK_EQ(idle_clients_cut_off(srv, "127.0.0.1", 20), 0);
    return 0;
}

static void test_shared_stack_handlers(void) {
    raise_fd_limit();
    clients_n = under_valgrind() ? 50 : 500;
    CHECK_EQ(asyncio_run(main_shared_stack_server, NULL), 0);
}

int main(void) {
    RUN(test_echo_1000_clients);
    RUN(test_echo_ipv6_and_names);
    RUN(test_connect_refused);
    RUN(test_peer_reset_mid_read_and_write);
    RUN(test_abort_resets_and_drops_what_is_queued);
    RUN(test_cancel_connect_and_wait_closed);
    RUN(test_server_close_lets_clients_finish);
    RUN(test_shared_stack_handlers);
    return check_summary();
}
