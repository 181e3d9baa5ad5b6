/*
 * TCP servers, the part every transport shares (server_transport.h): one
 * detached task per client, in a list the server keeps so that an
 * interrupted wait_closed can cancel them; close, and wait_closed, which
 * waits for the server to be closed, its clients to end and the
 * transport's own tasks to release it.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "server_transport.h"

struct client {
    struct client *prev, *next;
    asyncio_server_t *srv;
    asyncio_stream_t *stream;
    asyncio_task_t *task;
};

struct asyncio_server {
    const server_transport_ops_t *ops;
    void *transport;
    asyncio_client_fn cb;
    void *arg;
    asyncio_task_opts_t client_opts; /* how each handler's task is made */
    struct client *first;
    size_t clients;
    size_t holds;           /* the transport's tasks still running */
    bool closed;            /* stop has been called */
    bool discarded;         /* freed once the last client and hold are gone */
    int interrupted;        /* the waiter of wait_closed was cancelled / timed out */
    asyncio_task_t *waiter; /* in wait_closed */
    uint16_t port;
};

asyncio_server_t *server_new(const server_transport_ops_t *ops, void *transport,
                             asyncio_client_fn cb, void *arg, const asyncio_server_opts_t *opts) {
    if (!ops || !cb) {
        errno = EINVAL;
        return NULL;
    }
    bool shared = opts && opts->shared_stack;
    if (shared && !task_shared_offered()) {
        errno = ENOTSUP;
        return NULL;
    }
    asyncio_server_t *srv = PORT_MALLOC(sizeof *srv);
    if (!srv) {
        errno = ENOMEM;
        return NULL;
    }
    memset(srv, 0, sizeof *srv);
    srv->ops = ops;
    srv->transport = transport;
    srv->cb = cb;
    srv->arg = arg;
    srv->client_opts.name = "asyncio-client";
    srv->client_opts.shared_stack = shared;
    if (!shared) srv->client_opts.stack_size = ops->client_stack_size;
    return srv;
}

void *server_transport_data(const asyncio_server_t *srv) { return srv->transport; }
void server_set_port(asyncio_server_t *srv, uint16_t port) { srv->port = port; }

static void server_free(asyncio_server_t *srv) {
    if (srv->ops->free) srv->ops->free(srv);
    PORT_FREE(srv);
}

/* A count has dropped: wakes the waiter of wait_closed, or frees a
 * discarded server, once nothing is left. */
static void server_maybe_done(asyncio_server_t *srv) {
    if (!srv->closed || srv->holds > 0 || srv->clients > 0) return;
    if (srv->discarded)
        server_free(srv);
    else if (srv->waiter)
        driver_wake(srv->waiter, 0);
}

static void client_unlink(struct client *c) {
    asyncio_server_t *srv = c->srv;
    if (c->prev)
        c->prev->next = c->next;
    else
        srv->first = c->next;
    if (c->next) c->next->prev = c->prev;
    srv->clients--;
}

/* A client's task: the handler, then the stream's close (drained first). */
static int client_main(void *arg) {
    struct client *c = arg;
    asyncio_server_t *srv = c->srv;
    int result = srv->cb(c->stream, srv->arg);
    asyncio_stream_close(c->stream);
    client_unlink(c);
    PORT_FREE(c);
    server_maybe_done(srv);
    return result;
}

int server_accepted(asyncio_server_t *srv, asyncio_stream_t *stream) {
    struct client *c = PORT_MALLOC(sizeof *c);
    if (c) memset(c, 0, sizeof *c);
    asyncio_task_t *t = c ? asyncio_create_task_ex(client_main, c, &srv->client_opts) : NULL;
    if (!t) {
        int err = c ? -errno : -ENOMEM;
        PORT_FREE(c);
        asyncio_stream_abort(stream); /* refused: reset, nothing to drain */
        asyncio_stream_close(stream);
        return err;
    }
    c->srv = srv;
    c->stream = stream;
    c->task = t;
    c->next = srv->first;
    if (c->next) c->next->prev = c;
    srv->first = c;
    srv->clients++;
    asyncio_task_detach(t);
    return 0;
}

void server_hold(asyncio_server_t *srv) { srv->holds++; }

void server_release(asyncio_server_t *srv) {
    srv->holds--;
    server_maybe_done(srv);
}

void server_discard(asyncio_server_t *srv) {
    srv->discarded = true;
    if (srv->closed)
        server_maybe_done(srv);
    else
        asyncio_server_close(srv); /* whose end frees it now, or the last release will */
}

uint16_t asyncio_server_port(const asyncio_server_t *srv) { return srv ? srv->port : 0; }
size_t asyncio_server_clients(const asyncio_server_t *srv) { return srv ? srv->clients : 0; }

asyncio_server_t *asyncio_start_server(asyncio_client_fn cb, void *arg, const char *host,
                                       uint16_t port, int backlog) {
    asyncio_server_opts_t opts = {.backlog = backlog};
    return asyncio_start_server_ex(cb, arg, host, port, &opts);
}

void asyncio_server_close(asyncio_server_t *srv) {
    if (!srv || srv->closed) return;
    srv->closed = true;
    srv->ops->stop(srv);
    server_maybe_done(srv);
}

static void server_abort(asyncio_server_t *srv) {
    asyncio_server_close(srv);
    for (struct client *c = srv->first; c; c = c->next) asyncio_task_cancel(c->task);
}

static void closer_interrupted(asyncio_task_t *t, int reason) {
    asyncio_server_t *srv = driver_wait_data(t);
    if (srv->interrupted) return; /* already aborting: wait for the clients */
    srv->interrupted = reason;
    server_abort(srv);
    if (srv->holds == 0 && srv->clients == 0) driver_wake(t, reason);
}

int asyncio_server_wait_closed(asyncio_server_t *srv) {
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err == -EPERM) return err;
    if (!srv || srv->waiter) return -EINVAL;
    if (err) {
        srv->interrupted = err;
        server_abort(srv);
    }
    srv->waiter = self;
    while (!srv->closed || srv->holds > 0 || srv->clients > 0) {
        /* once aborting, the scopes need no timer: just wait */
        driver_wait_tasks(self, srv->interrupted != 0, closer_interrupted, srv);
    }
    err = srv->interrupted;
    server_free(srv);
    return err;
}
