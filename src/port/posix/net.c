/*
 * TCP: name lookup off the loop, non-blocking connect, listening servers.
 *
 * A name that is not a numeric address is looked up with getaddrinfo() in a
 * detached worker thread. The worker and the waiting task share a small job
 * record with two references and an eventfd: the worker posts the result and
 * writes the eventfd, the task waits on it with asyncio_wait_readable. Whoever
 * lets go last frees the job, so a task cancelled mid-lookup (or a loop closed
 * meanwhile) leaves the worker nothing dangling to touch.
 *
 * A server listens on each address with an acceptor task per socket, which
 * hands every connection to the core's server (src/core/server.c: the
 * clients' tasks, close, wait_closed); the acceptors hold the server while
 * they run.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../core/server_transport.h"
#include "io_internal.h"
#include "stream_fd.h"

#define MAX_ADDRS 8

struct addr_list {
    struct sockaddr_storage addr[MAX_ADDRS];
    socklen_t len[MAX_ADDRS];
    int n;
};

/* ---- addresses ------------------------------------------------------------------ */

static void add_addr(struct addr_list *l, const void *sa, socklen_t len) {
    if (l->n >= MAX_ADDRS || len > sizeof l->addr[0]) return;
    memcpy(&l->addr[l->n], sa, len);
    l->len[l->n++] = len;
}

/* A numeric IPv4 / IPv6 address ("::1", "[::1]"); false if host is a name. */
static bool parse_numeric(const char *host, uint16_t port, struct addr_list *l) {
    struct sockaddr_in a4;
    memset(&a4, 0, sizeof a4);
    a4.sin_family = AF_INET;
    a4.sin_port = htons(port);
    if (inet_pton(AF_INET, host, &a4.sin_addr) == 1) {
        add_addr(l, &a4, sizeof a4);
        return true;
    }
    char buf[INET6_ADDRSTRLEN + 2];
    size_t n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof buf) {
        memcpy(buf, host + 1, n - 2);
        buf[n - 2] = 0;
        host = buf;
    }
    struct sockaddr_in6 a6;
    memset(&a6, 0, sizeof a6);
    a6.sin6_family = AF_INET6;
    a6.sin6_port = htons(port);
    if (inet_pton(AF_INET6, host, &a6.sin6_addr) == 1) {
        add_addr(l, &a6, sizeof a6);
        return true;
    }
    return false;
}

static int gai_to_errno(int e) {
    switch (e) {
    case 0:
        return 0;
    case EAI_AGAIN:
        return -EAGAIN;
    case EAI_MEMORY:
        return -ENOMEM;
    case EAI_SYSTEM:
        return io_neg_errno();
    default:
        return -ENOENT;
    }
}

static int lookup_blocking(const char *host, uint16_t port, bool passive, struct addr_list *l) {
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG | (passive ? AI_PASSIVE : 0);
    char service[8];
    snprintf(service, sizeof service, "%u", (unsigned)port);
    int err = gai_to_errno(getaddrinfo(host, service, &hints, &res));
    if (err) return err;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) add_addr(l, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(res);
    return l->n ? 0 : -ENOENT;
}

struct lookup_job {
    atomic_int refs;
    int efd;
    char *host;
    uint16_t port;
    bool passive;
    int err;
    struct addr_list result;
};

static void job_release(struct lookup_job *j) {
    if (atomic_fetch_sub_explicit(&j->refs, 1, memory_order_acq_rel) != 1) return;
    close(j->efd);
    free(j->host);
    free(j);
}

static void *lookup_worker(void *arg) {
    struct lookup_job *j = arg;
    j->err = lookup_blocking(j->host, j->port, j->passive, &j->result);
    uint64_t one = 1;
    ssize_t n = write(j->efd, &one, sizeof one); /* publishes err and result */
    (void)n;
    job_release(j);
    return NULL;
}

/* Numeric addresses directly; names in a worker thread (suspending) inside a
 * task, blocking outside one (no loop runs then). */
static int resolve(const char *host, uint16_t port, bool passive, struct addr_list *l) {
    l->n = 0;
    if (parse_numeric(host, port, l)) return 0;
    if (!asyncio_current_task()) return lookup_blocking(host, port, passive, l);
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err) return err;
    struct lookup_job *j = calloc(1, sizeof *j);
    if (!j || !(j->host = strdup(host))) {
        free(j);
        return -ENOMEM;
    }
    j->port = port;
    j->passive = passive;
    j->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    atomic_init(&j->refs, 2);
    pthread_attr_t attr;
    pthread_t th;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256u * 1024u);
    int started = j->efd >= 0 && pthread_create(&th, &attr, lookup_worker, j) == 0;
    pthread_attr_destroy(&attr);
    if (!started) {
        if (j->efd >= 0) close(j->efd);
        free(j->host);
        free(j);
        return -EAGAIN;
    }
    for (;;) {
        uint64_t v;
        if (read(j->efd, &v, sizeof v) == (ssize_t)sizeof v) {
            err = j->err;
            if (!err) *l = j->result;
            break;
        }
        err = asyncio_wait_readable(j->efd);
        if (err) break;
    }
    job_release(j);
    return err;
}

/* ---- connecting --------------------------------------------------------------------- */

/* A non-blocking connect in progress: suspends until the socket is
 * writable, then its outcome (0 or -errno). */
static int connect_wait(int fd) {
    int err = asyncio_wait_writable(fd);
    if (err == 0 || err == -EPIPE) { /* writable, or hung up: SO_ERROR tells */
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0) soerr = errno;
        err = soerr ? -soerr : err;
    }
    return err;
}

static int connect_one(asyncio_loop_t *loop, const struct sockaddr_storage *addr, socklen_t len,
                       asyncio_stream_t **out) {
    int fd = socket(addr->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return io_neg_errno();
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (const struct sockaddr *)addr, len) != 0) {
        int err = errno == EINPROGRESS ? connect_wait(fd) : io_neg_errno();
        if (err) {
            close(fd);
            return err;
        }
    }
    asyncio_stream_t *s = fd_stream_new(loop, fd, true);
    if (!s) {
        int err = -errno;
        close(fd);
        return err;
    }
    *out = s;
    return 0;
}

int asyncio_open_connection(const char *host, uint16_t port, asyncio_stream_t **out) {
    if (out) *out = NULL;
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err) return err;
    if (!host || !out) return -EINVAL;
    struct addr_list l;
    err = resolve(host, port, false, &l);
    if (err) return err;
    err = -ENOENT;
    for (int i = 0; i < l.n; i++) {
        err = connect_one(driver_task_loop(self), &l.addr[i], l.len[i], out);
        if (!err || err == -ECANCELED || err == -ETIMEDOUT) break;
    }
    return err;
}

/* ---- servers --------------------------------------------------------------------------- */

/* The server's listening sockets (its transport data, server_transport.h):
 * one acceptor task each, which accepts and hands the connections to
 * server_accepted. */
struct listener {
    struct io_watch w;
    int fd; /* -1 once closed */
    asyncio_server_t *srv;
};

struct listeners {
    asyncio_loop_t *loop;
    struct listener l[MAX_ADDRS];
    size_t n;
};

static void spawn_client(asyncio_server_t *srv, int fd) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct listeners *ls = server_transport_data(srv);
    asyncio_stream_t *s = fd_stream_new(ls->loop, fd, true);
    if (s)
        server_accepted(srv, s); /* on failure it resets and closes s */
    else
        close(fd);
}

static void listener_close(struct listener *l) {
    if (l->fd < 0) return;
    io_watch_close(&l->w); /* wakes the acceptor with -EBADF */
    close(l->fd);
    l->fd = -1;
}

static int acceptor_main(void *arg) {
    struct listener *l = arg;
    asyncio_server_t *srv = l->srv;
    unsigned burst = 0;
    while (l->fd >= 0) {
        int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            spawn_client(srv, fd);
            if (++burst % 64 == 0 && asyncio_yield() < 0) break; /* let clients run */
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED) continue;
        int err;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            io_watch_clear(&l->w, IO_READABLE);
            err = io_watch_wait(&l->w, IO_READABLE);
        } else {
            err = asyncio_sleep_ms(50); /* EMFILE and the like: try again soon */
        }
        if (err) break;
    }
    listener_close(l);
    server_release(srv); /* last: it may free the server and l */
    return 0;
}

static void listeners_stop(asyncio_server_t *srv) {
    struct listeners *ls = server_transport_data(srv);
    for (size_t i = 0; i < ls->n; i++) listener_close(&ls->l[i]);
}

static void listeners_free(asyncio_server_t *srv) { free(server_transport_data(srv)); }

static const server_transport_ops_t listener_ops = {
    .stop = listeners_stop,
    .free = listeners_free,
};

static int listen_on(asyncio_server_t *srv, const struct sockaddr_storage *addr, socklen_t len,
                     int backlog) {
    struct listeners *ls = server_transport_data(srv);
    int fd = socket(addr->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return io_neg_errno();
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (addr->ss_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    struct sockaddr_storage a = *addr;
    uint16_t port = asyncio_server_port(srv);
    if (port) { /* every listener on the port the first one got */
        if (a.ss_family == AF_INET)
            ((struct sockaddr_in *)&a)->sin_port = htons(port);
        else
            ((struct sockaddr_in6 *)&a)->sin6_port = htons(port);
    }
    if (bind(fd, (struct sockaddr *)&a, len) != 0 || listen(fd, backlog) != 0) {
        int err = io_neg_errno();
        close(fd);
        return err;
    }
    struct sockaddr_storage got;
    socklen_t gl = sizeof got;
    if (!port && getsockname(fd, (struct sockaddr *)&got, &gl) == 0)
        server_set_port(srv,
                        ntohs(got.ss_family == AF_INET ? ((struct sockaddr_in *)&got)->sin_port
                                                       : ((struct sockaddr_in6 *)&got)->sin6_port));
    struct listener *l = &ls->l[ls->n];
    int err = io_watch_open(&l->w, ls->loop, fd);
    if (err) {
        close(fd);
        return err;
    }
    l->fd = fd;
    l->srv = srv;
    ls->n++;
    return 0;
}

/* The addresses to listen on: every interface for no host. */
static int listen_addresses(const char *host, uint16_t port, struct addr_list *l) {
    if (host && *host) return resolve(host, port, true, l);
    l->n = 0;
    parse_numeric("0.0.0.0", port, l);
    parse_numeric("::", port, l);
    return 0;
}

/* A listener on each address, and its acceptor task. */
static int listen_all(asyncio_server_t *srv, const struct addr_list *l, int backlog) {
    struct listeners *ls = server_transport_data(srv);
    int err = 0;
    for (int i = 0; !err && i < l->n; i++) {
        err = listen_on(srv, &l->addr[i], l->len[i], backlog);
        /* an address family the machine lacks is not fatal once one listens */
        if (err == -EAFNOSUPPORT || (err == -EADDRNOTAVAIL && ls->n > 0)) err = 0;
    }
    if (!err && ls->n == 0) err = -EADDRNOTAVAIL;
    for (size_t i = 0; !err && i < ls->n; i++) {
        asyncio_task_opts_t opts = {.name = "asyncio-acceptor", .stack_size = 32u * 1024u};
        asyncio_task_t *t = asyncio_create_task_ex(acceptor_main, &ls->l[i], &opts);
        if (!t) return -ENOMEM;
        server_hold(srv);
        asyncio_task_detach(t);
    }
    return err;
}

asyncio_server_t *asyncio_start_server_ex(asyncio_client_fn cb, void *arg, const char *host,
                                          uint16_t port, const asyncio_server_opts_t *opts) {
    asyncio_loop_t *loop = asyncio_get_event_loop();
    struct listeners *ls = loop ? calloc(1, sizeof *ls) : NULL;
    if (!ls) {
        errno = ENOMEM;
        return NULL;
    }
    ls->loop = loop;
    asyncio_server_t *srv = server_new(&listener_ops, ls, cb, arg, opts);
    if (!srv) {
        free(ls);
        return NULL;
    }
    int backlog = opts && opts->backlog > 0 ? opts->backlog : SOMAXCONN;
    struct addr_list l;
    int err = listen_addresses(host, port, &l);
    if (!err) err = listen_all(srv, &l, backlog);
    if (err) {
        server_discard(srv); /* at once, or as its acceptors (if any) end */
        errno = -err;
        return NULL;
    }
    return srv;
}
