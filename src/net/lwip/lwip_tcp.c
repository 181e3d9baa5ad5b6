/*
 * The TCP transport: a stream over an lwIP TCP PCB (raw API).
 *
 * Receiving: lwIP hands received segments to conn_recv, which chains them
 * in c->rx without acknowledging them to lwIP; read_some copies from the
 * chain and only then calls tcp_recved() for the bytes the reader took. So
 * the window the peer sees is what the reader has made room for: a reader
 * that stops stops the peer after one window (TCP_WND), and memory stays
 * flat.
 *
 * Every segment received is acknowledged at once rather than delayed (as
 * TCP_QUICKACK): the writer's drain waits for the acknowledgement.
 *
 * Sending: write_some copies into lwIP's send buffer (tcp_write, at most
 * tcp_sndbuf() bytes: -EAGAIN when it is full) and pushes it out
 * (tcp_output). conn_sent counts the acknowledged bytes off c->unacked and
 * notifies the stream, which sends more of its queue and wakes its
 * drainers; sent_all is true once every byte written has been
 * acknowledged.
 *
 * Failures: lwIP frees the PCB and calls conn_err (reset, retransmissions
 * exhausted); the error is kept (sticky) and given to both directions:
 * -ECONNRESET, -ETIMEDOUT, or -ECONNREFUSED for a connect.
 *
 * Every callback runs in loop context (the lwIP service task, or a task
 * that called lwIP); the stream's notifications wake its tasks from there.
 */
#include <stdlib.h>
#include <string.h>

#include "lwip_internal.h"

#include "lwip/tcp.h"

static const stream_transport_ops_t lwip_tcp_ops;

/* lwIP's error for a PCB it has freed, as the errno of a socket. */
static int conn_failure(const struct lwip_conn *c, err_t err) {
    if (err == ERR_RST) return c->connecting ? -ECONNREFUSED : -ECONNRESET;
    if (err == ERR_ABRT) /* lwIP gave up retransmitting, or needed the memory */
        return c->connecting || c->unacked ? -ETIMEDOUT : -ECONNABORTED;
    return lwip_errno(err);
}

static void conn_detach(struct lwip_conn *c) {
    struct tcp_pcb *pcb = c->pcb;
    if (!pcb) return;
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_sent(pcb, NULL);
    tcp_err(pcb, NULL);
    tcp_poll(pcb, NULL, 0);
    c->pcb = NULL;
}

/* Both directions are over: lwIP finishes the PCB alone (TIME_WAIT). The
 * bytes still chained are the reader's; lwIP counts them as read, so that
 * closing sends no reset. */
static void conn_finish(struct lwip_conn *c) {
    if (c->rx) tcp_recved(c->pcb, c->rx->tot_len);
    struct tcp_pcb *pcb = c->pcb;
    conn_detach(c);
    if (tcp_close(pcb) != ERR_OK) tcp_abort(pcb);
}

static err_t conn_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err) {
    (void)err; /* always ERR_OK */
    struct lwip_conn *c = arg;
    if (p) {
        /* Acknowledged at once (lwIP sends it when its input is processed),
         * not up to a timer tick later: a peer's drain waits for it. */
        tcp_set_flags(pcb, TF_ACK_NOW);
        if (c->rx)
            pbuf_cat(c->rx, p);
        else
            c->rx = p;
    } else {
        c->rx_eof = true;
        if (c->wr_shut) conn_finish(c);
    }
    if (c->stream) stream_notify_readable(c->stream, 0);
    return ERR_OK;
}

static err_t conn_sent(void *arg, struct tcp_pcb *pcb, u16_t len) {
    (void)pcb;
    struct lwip_conn *c = arg;
    c->unacked = len < c->unacked ? c->unacked - len : 0;
    if (c->stream) stream_notify_writable(c->stream, 0);
    return ERR_OK;
}

/* lwIP's poll (every second while the connection lives): a write that
 * found lwIP short of memory with nothing in flight (so no conn_sent will
 * come) is tried again. */
static err_t conn_poll(void *arg, struct tcp_pcb *pcb) {
    (void)pcb;
    struct lwip_conn *c = arg;
    if (c->retry_write && c->stream) {
        c->retry_write = false;
        stream_notify_writable(c->stream, 0);
    }
    return ERR_OK;
}

/* The PCB is gone: lwIP freed it before calling this. */
static void conn_err(void *arg, err_t err) {
    struct lwip_conn *c = arg;
    c->pcb = NULL;
    if (err == ERR_CLSD) { /* closed both ways, normally: end of stream */
        c->rx_eof = true;
        c->unacked = 0;
    } else {
        c->err = conn_failure(c, err);
    }
    if (c->connecting) {
        driver_wake(c->connecting, c->err ? c->err : -ECONNRESET);
        return;
    }
    if (c->stream) {
        stream_notify_readable(c->stream, c->err);
        stream_notify_writable(c->stream, c->err);
    }
}

struct lwip_conn *lwip_conn_new(struct tcp_pcb *pcb) {
    struct lwip_conn *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->pcb = pcb;
    tcp_arg(pcb, c);
    tcp_recv(pcb, conn_recv);
    tcp_sent(pcb, conn_sent);
    tcp_err(pcb, conn_err);
    tcp_poll(pcb, conn_poll, 2); /* in lwIP's 500 ms ticks */
    tcp_nagle_disable(pcb);      /* as TCP_NODELAY on the sockets */
    return c;
}

void lwip_conn_abort(struct lwip_conn *c) {
    struct tcp_pcb *pcb = c->pcb;
    conn_detach(c);
    if (pcb) tcp_abort(pcb);
    if (c->rx) pbuf_free(c->rx);
    free(c);
    lwip_service_poke();
}

/* Resets c's connection (lwIP sends RST and frees the PCB); c stays. */
static void conn_reset(struct lwip_conn *c) {
    struct tcp_pcb *pcb = c->pcb;
    conn_detach(c);
    if (pcb) tcp_abort(pcb);
}

asyncio_stream_t *lwip_stream_new(struct lwip_conn *c) {
    asyncio_stream_t *s = stream_new(asyncio_get_event_loop(), &lwip_tcp_ops, c);
    if (!s) {
        lwip_conn_abort(c);
        errno = ENOMEM;
        return NULL;
    }
    c->stream = s;
    return s;
}

/* ---- the transport's operations ---------------------------------------------------- */

static ssize_t tcp_read_some(asyncio_stream_t *s, void *buf, size_t n) {
    struct lwip_conn *c = stream_transport_data(s);
    if (c->rx) {
        u16_t want = n < c->rx->tot_len ? (u16_t)n : c->rx->tot_len;
        u16_t got = pbuf_copy_partial(c->rx, buf, want, 0);
        c->rx = pbuf_free_header(c->rx, got);
        if (c->pcb) {
            tcp_recved(c->pcb, got); /* the window reopens as the reader reads */
            lwip_service_poke();
        }
        return got;
    }
    if (c->err) return c->err;
    if (c->rx_eof || !c->pcb) return 0;
    return -EAGAIN;
}

static ssize_t tcp_write_some(asyncio_stream_t *s, const void *buf, size_t n) {
    struct lwip_conn *c = stream_transport_data(s);
    if (c->err) return c->err;
    if (!c->pcb || c->wr_shut) return -EPIPE;
    size_t room = tcp_sndbuf(c->pcb);
    if (tcp_sndqueuelen(c->pcb) >= TCP_SND_QUEUELEN) room = 0;
    if (room == 0) return -EAGAIN; /* bytes are in flight: conn_sent follows */
    u16_t len = (u16_t)(n < room ? n : room);
    err_t err = tcp_write(c->pcb, buf, len, TCP_WRITE_FLAG_COPY);
    if (err == ERR_MEM) { /* lwIP's heap or segments are short: conn_sent or conn_poll retries */
        if (!c->unacked) c->retry_write = true;
        return -EAGAIN;
    }
    if (err != ERR_OK) return lwip_errno(err);
    c->unacked += len;
    tcp_output(c->pcb);
    lwip_service_poke();
    return len;
}

static int tcp_sent_all(asyncio_stream_t *s) {
    const struct lwip_conn *c = stream_transport_data(s);
    return c->unacked == 0 || !c->pcb;
}

static int tcp_shutdown_write(asyncio_stream_t *s) {
    struct lwip_conn *c = stream_transport_data(s);
    if (c->err) return c->err;
    if (!c->pcb || c->wr_shut) return 0;
    c->wr_shut = true;
    if (c->rx_eof) {
        conn_finish(c);
    } else {
        err_t err = tcp_shutdown(c->pcb, 0, 1);
        if (err != ERR_OK) return lwip_errno(err);
    }
    lwip_service_poke();
    return 0;
}

/* A close with unread bytes resets the connection, as a socket's does. */
static void tcp_close_transport(asyncio_stream_t *s) {
    struct lwip_conn *c = stream_transport_data(s);
    struct tcp_pcb *pcb = c->pcb;
    conn_detach(c);
    if (pcb && tcp_close(pcb) != ERR_OK) tcp_abort(pcb);
    if (c->rx) pbuf_free(c->rx);
    free(c);
    lwip_service_poke();
}

/* lwIP's tcp_abort sends RST and frees the PCB with what it holds. */
static void tcp_abort_transport(asyncio_stream_t *s) { conn_reset(stream_transport_data(s)); }

static size_t tcp_buffered(const asyncio_stream_t *s) {
    const struct lwip_conn *c = stream_transport_data(s);
    return c->rx ? c->rx->tot_len : 0;
}

static const stream_transport_ops_t lwip_tcp_ops = {
    .read_some = tcp_read_some,
    .write_some = tcp_write_some,
    .sent_all = tcp_sent_all,
    .shutdown_write = tcp_shutdown_write,
    .close = tcp_close_transport,
    .abort = tcp_abort_transport,
    .buffered = tcp_buffered,
};
