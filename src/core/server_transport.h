/*
 * The server layer's lower edge: what a listening transport (the POSIX
 * port's sockets, lwIP's listening PCB) gives the portable server of
 * server.c, and what the server gives back. As stream_transport.h does for
 * streams: the clients' tasks, their list, the counts, close, cancel and
 * wait_closed are written once, in the core; a transport listens, accepts
 * and makes a stream of each connection.
 *
 * A transport's asyncio_start_server_ex makes the server (server_new), sets
 * its listeners up, and hands each accepted connection's stream to
 * server_accepted(), in loop context or from a task of its own. Its own
 * tasks (an acceptor per listening socket) hold the server (server_hold /
 * server_release) so that asyncio_server_wait_closed also waits for them.
 */
#ifndef CASYNCIO_SERVER_TRANSPORT_H
#define CASYNCIO_SERVER_TRANSPORT_H

#include "asyncio_stream.h"
#include "driver.h"

typedef struct server_transport_ops {
    /* Stops accepting: closes the listening sockets or PCB, at once (new
     * connections are refused). Called once, by asyncio_server_close or
     * server_discard; the transport calls server_accepted no more after it.
     * Its tasks may still be running: they release the server as they end. */
    void (*stop)(asyncio_server_t *srv);
    /* Optional: frees the transport's data, once, when the server is freed
     * (after stop, once every client has ended and every hold is released). */
    void (*free)(asyncio_server_t *srv);
    /* Each handler task's stack (asyncio_task_opts_t.stack_size), unless it
     * runs on the shared stack: 0, ASYNCIO_DEFAULT_STACK. */
    size_t client_stack_size;
} server_transport_ops_t;

/* A server (PORT_MALLOC) over `ops` and the transport's own data
 * (server_transport_data), serving each client with cb(stream, arg). NULL
 * with errno = EINVAL (NULL cb or ops), ENOTSUP (opts->shared_stack where
 * the port offers no shared-stack tasks) or ENOMEM. opts may be NULL. */
asyncio_server_t *server_new(const server_transport_ops_t *ops, void *transport,
                             asyncio_client_fn cb, void *arg, const asyncio_server_opts_t *opts);
void *server_transport_data(const asyncio_server_t *srv);

/* The port the listeners are bound to (asyncio_server_port reports it). */
void server_set_port(asyncio_server_t *srv, uint16_t port);

/* A connection accepted: a detached task runs the handler on `stream`,
 * which the server owns from now on (closed after the handler returns).
 * Returns 0, or -ENOMEM / -EINVAL (closed loop) when no task could be made:
 * the connection is then reset (asyncio_stream_abort) and the stream
 * closed. Loop context or a task of the server's loop; does not suspend. */
int server_accepted(asyncio_server_t *srv, asyncio_stream_t *stream);

/* A task of the transport's starts (hold) or ends (release) using the
 * server: wait_closed waits for every hold to be released, and the server
 * is not freed before. */
void server_hold(asyncio_server_t *srv);
void server_release(asyncio_server_t *srv);

/* For a start that failed after server_new: stops the server (ops->stop)
 * and frees it, at once or, when the transport's tasks still hold it, as
 * the last one releases it. The handle must not be used again. */
void server_discard(asyncio_server_t *srv);

#endif
