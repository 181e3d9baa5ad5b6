/*
 * What the lwIP transport's files share: the service task that drives lwIP
 * from the loop (lwip_service.c), the connection record of the TCP
 * transport (lwip_tcp.c) and the calls the servers and connects make on it
 * (lwip_net.c).
 */
#ifndef CASYNCIO_LWIP_INTERNAL_H
#define CASYNCIO_LWIP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../core/driver.h"
#include "../../core/stream_transport.h"
#include "asyncio.h"
#include "asyncio_lwip.h"
#include "asyncio_stream.h"

#include "lwip/err.h"
#include "lwip/ip_addr.h"

/* ---- the service task (lwip_service.c) ------------------------------------------------ */

/* A source of input the service polls: a network interface's receive
 * queue, a Wi-Fi chip's driver. `run` delivers what is pending to lwIP and
 * returns true if it delivered anything (the service then runs it again
 * before it sleeps). Registered once, static storage. */
struct lwip_input {
    struct lwip_input *next;
    bool (*run)(struct lwip_input *in);
    /* Optional: called when the service starts on a loop (deferred
     * records to add there). */
    void (*attach)(struct lwip_input *in, asyncio_loop_t *loop);
    /* 0, or the longest the service may sleep without running `run`
     * (a driver that must be polled). */
    uint32_t max_sleep_us;
};
void lwip_service_add_input(struct lwip_input *in);

/* Initialises lwIP the first time (host/lwip_host.c: lwip_init();
 * pico_w/lwip_cyw43.c: pico-sdk's cyw43_arch_init() did, registers the
 * Wi-Fi chip as an input). */
void lwip_stack_init(void);

/* Starts the service task on the running (else default) loop unless it runs
 * there already; lwIP is initialised first. 0, or -ENOMEM. */
int lwip_service_attach(void);

/* After lwIP was called from a task (a write, a connect, a close): input was
 * queued or a timer set that the sleeping service must see. Wakes it if so. */
void lwip_service_poke(void);

/* The loop's clock in ms (monotonic across loops): lwIP's sys_now(). */
uint32_t lwip_service_now_ms(void);

/* An input source has something pending: wakes the service. */
void lwip_service_wake(void);

/* lwIP's error codes as the negative errnos of the POSIX calls. */
int lwip_errno(err_t err);

/* ---- the TCP transport (lwip_tcp.c) ----------------------------------------------------- */

struct tcp_pcb;

/* A TCP connection: the transport's data of a stream (stream_transport_data). */
struct lwip_conn {
    struct tcp_pcb *pcb;        /* NULL once lwIP has let go of it (reset, timeout, closed) */
    asyncio_stream_t *stream;   /* NULL until the stream is made */
    struct pbuf *rx;            /* received, not yet read: a chain */
    bool rx_eof;                /* the peer's FIN came */
    bool wr_shut;               /* our FIN was sent */
    int err;                    /* sticky failure, or 0 */
    size_t unacked;             /* bytes written, not yet acknowledged */
    bool retry_write;           /* a write found lwIP short of memory, nothing in flight */
    asyncio_task_t *connecting; /* the task waiting in a connect */
};

/* A connection over `pcb` (a connect's or an accepted one): its callbacks
 * are set; no stream yet. NULL when out of memory (the PCB is untouched). */
struct lwip_conn *lwip_conn_new(struct tcp_pcb *pcb);
/* Frees a connection that has no stream (a failed connect), aborting its PCB. */
void lwip_conn_abort(struct lwip_conn *c);
/* Makes the stream over c on the running (else default) loop; the stream
 * owns c from now on. NULL with errno = ENOMEM (c is then aborted). */
asyncio_stream_t *lwip_stream_new(struct lwip_conn *c);

#endif
