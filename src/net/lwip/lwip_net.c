/*
 * TCP over lwIP: connecting (with a name looked up by lwIP's resolver), and
 * listening servers that serve each client in its own task. The same calls
 * and the same behaviour as the socket version (asyncio_stream.h), on
 * lwIP's raw API; see asyncio_lwip.h for the differences.
 */
#include <stdlib.h>
#include <string.h>

#include "lwip_internal.h"

#include "lwip/dns.h"
#include "lwip/tcp.h"

/* ---- names --------------------------------------------------------------------------- */

/* A lookup lwIP answers later. The waiting task owns it; a task interrupted
 * meanwhile leaves it to the answer, which frees it. */
struct lookup {
    asyncio_task_t *task; /* NULL once the task gave up */
    bool done;
    int err;
    ip_addr_t addr;
};

static void lookup_found(const char *name, const ip_addr_t *addr, void *arg) {
    (void)name;
    struct lookup *l = arg;
    if (!l->task) {
        free(l);
        return;
    }
    l->done = true;
    l->err = addr ? 0 : -ENOENT;
    if (addr) l->addr = *addr;
    driver_wake(l->task, 0);
}

static void lookup_interrupted(asyncio_task_t *t, int reason) {
    struct lookup *l = driver_wait_data(t);
    l->task = NULL; /* lookup_found frees it */
    driver_wake(t, reason);
}

/* A numeric address at once; a name through lwIP's resolver (suspending
 * until it answers) in a task, -EWOULDBLOCK outside one unless the answer
 * is known already (a name added with dns_local_addhost, or cached). */
static int resolve(const char *host, ip_addr_t *out) {
    if (ipaddr_aton(host, out)) return 0;
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err && err != -EPERM) return err;
    struct lookup *l = calloc(1, sizeof *l);
    if (!l) return -ENOMEM;
    l->task = self;
    err_t e = dns_gethostbyname(host, out, lookup_found, l);
    if (e == ERR_OK) {
        free(l);
        return 0;
    }
    if (e != ERR_INPROGRESS) {
        free(l);
        return e == ERR_ARG || e == ERR_VAL ? -ENOENT : lwip_errno(e);
    }
    lwip_service_poke();
    if (!self) return -EWOULDBLOCK; /* no task to wait in: l (task NULL) is lookup_found's */
    if (!l->done) {
        err = driver_wait(self, NULL, DRIVER_NO_DEADLINE, lookup_interrupted, l);
        if (err) return err; /* l is lookup_found's now */
    }
    err = l->err;
    if (!err) *out = l->addr;
    free(l);
    return err;
}

/* ---- connecting ------------------------------------------------------------------------ */

static err_t connected(void *arg, struct tcp_pcb *pcb, err_t err) {
    (void)pcb;
    struct lwip_conn *c = arg;
    if (c->connecting) driver_wake(c->connecting, lwip_errno(err));
    return ERR_OK;
}

/* The connect's wait, in its frame: an interruption aborts the PCB. */
struct connect_wait {
    struct lwip_conn *c;
    bool interrupted;
};

static void connect_interrupted(asyncio_task_t *t, int reason) {
    struct connect_wait *w = driver_wait_data(t);
    w->interrupted = true;
    w->c->connecting = NULL;
    lwip_conn_abort(w->c);
    driver_wake(t, reason);
}

int asyncio_open_connection(const char *host, uint16_t port, asyncio_stream_t **out) {
    if (out) *out = NULL;
    asyncio_task_t *self;
    int err = driver_wait_begin(&self);
    if (err) return err;
    if (!host || !out) return -EINVAL;
    err = lwip_service_attach();
    ip_addr_t addr;
    if (!err) err = resolve(host, &addr);
    if (!err) err = driver_wait_begin(&self); /* the lookup may have waited */
    if (err) return err;
    struct tcp_pcb *pcb = tcp_new_ip_type(IP_GET_TYPE(&addr));
    struct lwip_conn *c = pcb ? lwip_conn_new(pcb) : NULL;
    if (!c) {
        if (pcb) tcp_abort(pcb);
        return -ENOMEM;
    }
    err_t e = tcp_connect(pcb, &addr, port, connected);
    if (e != ERR_OK) {
        lwip_conn_abort(c);
        return lwip_errno(e);
    }
    lwip_service_poke();
    c->connecting = self;
    struct connect_wait w = {c, false};
    err = driver_wait(self, NULL, DRIVER_NO_DEADLINE, connect_interrupted, &w);
    if (w.interrupted) return err; /* c is gone */
    c->connecting = NULL;
    if (err) {
        lwip_conn_abort(c);
        return err;
    }
    *out = lwip_stream_new(c);
    return *out ? 0 : -ENOMEM;
}

/* ---- servers ------------------------------------------------------------------------------ */

struct client {
    struct client *prev, *next;
    asyncio_server_t *srv;
    asyncio_stream_t *stream;
    asyncio_task_t *task;
};

struct asyncio_server {
    asyncio_client_fn cb;
    void *arg;
    struct tcp_pcb *listener; /* NULL once closed */
    size_t clients;
    struct client *first;
    bool closed;
    int interrupted;        /* the waiter of wait_closed was cancelled / timed out */
    asyncio_task_t *waiter; /* in wait_closed */
    uint16_t port;
};

static void server_maybe_done(asyncio_server_t *srv) {
    if (srv->waiter && srv->closed && srv->clients == 0) driver_wake(srv->waiter, 0);
}

static int client_main(void *arg) {
    struct client *c = arg;
    asyncio_server_t *srv = c->srv;
    int result = srv->cb(c->stream, srv->arg);
    asyncio_stream_close(c->stream);
    if (c->prev)
        c->prev->next = c->next;
    else
        srv->first = c->next;
    if (c->next) c->next->prev = c->prev;
    srv->clients--;
    free(c);
    server_maybe_done(srv);
    return result;
}

/* lwIP has a new connection: a stream and a task for it. Refused (reset)
 * when memory runs short. */
static err_t accepted(void *arg, struct tcp_pcb *pcb, err_t err) {
    asyncio_server_t *srv = arg;
    if (err != ERR_OK || !pcb) return ERR_VAL;
    struct client *cl = calloc(1, sizeof *cl);
    struct lwip_conn *c = cl ? lwip_conn_new(pcb) : NULL;
    if (!c) {
        free(cl);
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    cl->stream = lwip_stream_new(c); /* on failure it aborted the PCB */
    asyncio_task_opts_t opts = {.name = "asyncio-client", .stack_size = ASYNCIO_LWIP_CLIENT_STACK};
    cl->task = cl->stream ? asyncio_create_task_ex(client_main, cl, &opts) : NULL;
    if (!cl->task) {
        if (cl->stream) {
            lwip_conn_reset(c);
            asyncio_stream_close(cl->stream);
        }
        free(cl);
        return ERR_ABRT;
    }
    cl->srv = srv;
    cl->next = srv->first;
    if (cl->next) cl->next->prev = cl;
    srv->first = cl;
    srv->clients++;
    asyncio_task_detach(cl->task);
    return ERR_OK;
}

static int listen_on(asyncio_server_t *srv, const ip_addr_t *addr, uint16_t port, int backlog) {
    struct tcp_pcb *pcb = tcp_new_ip_type(IP_GET_TYPE(addr));
    if (!pcb) return -ENOMEM;
    ip_set_option(pcb, SOF_REUSEADDR);
    err_t e = tcp_bind(pcb, addr, port);
    struct tcp_pcb *l = NULL;
    if (e == ERR_OK) l = tcp_listen_with_backlog_and_err(pcb, (u8_t)backlog, &e);
    if (!l) {
        tcp_close(pcb);
        return lwip_errno(e);
    }
    srv->listener = l;
    srv->port = l->local_port;
    tcp_arg(l, srv);
    tcp_accept(l, accepted);
    return 0;
}

asyncio_server_t *asyncio_start_server(asyncio_client_fn cb, void *arg, const char *host,
                                       uint16_t port, int backlog) {
    if (!cb) {
        errno = EINVAL;
        return NULL;
    }
    int err = lwip_service_attach();
    ip_addr_t addr;
    ip_addr_set_any(false, &addr);
    if (!err && host && *host) err = resolve(host, &addr);
    asyncio_server_t *srv = err ? NULL : calloc(1, sizeof *srv);
    if (!err && !srv) err = -ENOMEM;
    if (!err) {
        srv->cb = cb;
        srv->arg = arg;
        if (backlog <= 0 || backlog > 255) backlog = 255;
        err = listen_on(srv, &addr, port, backlog);
    }
    if (err) {
        free(srv);
        errno = -err;
        return NULL;
    }
    return srv;
}

uint16_t asyncio_server_port(const asyncio_server_t *srv) { return srv ? srv->port : 0; }
size_t asyncio_server_clients(const asyncio_server_t *srv) { return srv ? srv->clients : 0; }

void asyncio_server_close(asyncio_server_t *srv) {
    if (!srv || srv->closed) return;
    srv->closed = true;
    if (srv->listener) {
        tcp_arg(srv->listener, NULL);
        tcp_accept(srv->listener, NULL);
        tcp_close(srv->listener); /* a listener is freed at once: new connections are reset */
        srv->listener = NULL;
    }
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
    if (srv->clients == 0) driver_wake(t, reason);
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
    while (!srv->closed || srv->clients > 0) {
        err = driver_wait_tasks(self, srv->interrupted != 0, closer_interrupted, srv);
        if (err == -ENOMEM) driver_wait_tasks(self, true, closer_interrupted, srv);
    }
    err = srv->interrupted;
    free(srv);
    return err;
}
