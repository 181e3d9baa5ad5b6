/*
 * TCP over lwIP: connecting (with a name looked up by lwIP's resolver), and
 * listening servers that serve each client in its own task. The same calls
 * and the same behaviour as the socket version (asyncio_stream.h), on
 * lwIP's raw API; see asyncio_lwip.h for the differences.
 */
#include <stdlib.h>
#include <string.h>

#include "../../core/server_transport.h"
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

/* The server's transport data is its listening PCB, closed by the stop
 * operation: lwIP's accept callback hands each connection to the core's
 * server (src/core/server.c), which runs the handlers' tasks. */

/* lwIP has a new connection: a stream, handed to the server. Refused
 * (reset) when memory runs short. */
static err_t accepted(void *arg, struct tcp_pcb *pcb, err_t err) {
    asyncio_server_t *srv = arg;
    if (err != ERR_OK || !pcb) return ERR_VAL;
    struct lwip_conn *c = lwip_conn_new(pcb);
    if (!c) {
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    asyncio_stream_t *s = lwip_stream_new(c);                /* on failure it aborted the PCB */
    if (!s || server_accepted(srv, s) != 0) return ERR_ABRT; /* the PCB was aborted */
    return ERR_OK;
}

static void listener_stop(asyncio_server_t *srv) {
    struct tcp_pcb *l = server_transport_data(srv);
    tcp_arg(l, NULL);
    tcp_accept(l, NULL);
    tcp_close(l); /* a listener is freed at once: new connections are reset */
}

static const server_transport_ops_t listener_ops = {
    .stop = listener_stop,
    .client_stack_size = ASYNCIO_LWIP_CLIENT_STACK,
};

static struct tcp_pcb *listen_on(const ip_addr_t *addr, uint16_t port, int backlog, int *err) {
    struct tcp_pcb *pcb = tcp_new_ip_type(IP_GET_TYPE(addr));
    if (!pcb) {
        *err = -ENOMEM;
        return NULL;
    }
    ip_set_option(pcb, SOF_REUSEADDR);
    err_t e = tcp_bind(pcb, addr, port);
    struct tcp_pcb *l = NULL;
    if (e == ERR_OK) l = tcp_listen_with_backlog_and_err(pcb, (u8_t)backlog, &e);
    if (!l) {
        tcp_close(pcb);
        *err = lwip_errno(e);
    }
    return l;
}

asyncio_server_t *asyncio_start_server_ex(asyncio_client_fn cb, void *arg, const char *host,
                                          uint16_t port, const asyncio_server_opts_t *opts) {
    int err = cb ? lwip_service_attach() : -EINVAL;
    ip_addr_t addr;
    ip_addr_set_any(false, &addr);
    if (!err && host && *host) err = resolve(host, &addr);
    int backlog = opts && opts->backlog > 0 && opts->backlog <= 255 ? opts->backlog : 255;
    struct tcp_pcb *l = err ? NULL : listen_on(&addr, port, backlog, &err);
    asyncio_server_t *srv = l ? server_new(&listener_ops, l, cb, arg, opts) : NULL;
    if (!srv) {
        if (l) {
            err = -errno;
            tcp_close(l);
        }
        errno = -err;
        return NULL;
    }
    server_set_port(srv, l->local_port);
    tcp_arg(l, srv);
    tcp_accept(l, accepted);
    return srv;
}
