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

#include "asyncio.h"
#include "asyncio_lwip.h"
#include "asyncio_stream.h"
#include "driver_shim.h"

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
};
void lwip_service_add_input(struct lwip_input *in);

/* lwip_init(), the first time only. */
void lwip_stack_init(void);

/* Starts the service task on the running (else default) loop unless it runs
 * there already; lwIP is initialised first. 0, or -ENOMEM. */
int lwip_service_attach(void);

/* After lwIP was called from a task (a write, a connect, a close): input was
 * queued or a timer set that the sleeping service must see. Wakes it if so. */
void lwip_service_poke(void);

/* An input source has something pending: wakes the service. */
void lwip_service_wake(void);

/* lwIP's error codes as the negative errnos of the POSIX calls. */
int lwip_errno(err_t err);

/* ---- the TCP transport (lwip_tcp.c) ----------------------------------------------------- */

struct tcp_pcb;
struct lwip_conn;

/* Makes a stream over an established PCB (a connect that completed, an
 * accepted connection) on `loop`: the stream owns the PCB from now on.
 * NULL with errno = ENOMEM (the PCB is then aborted). */
asyncio_stream_t *lwip_stream_new(asyncio_loop_t *loop, struct tcp_pcb *pcb);

#endif
