/*
 * The LED web server: two blinking LEDs (GPIO 19 every 0.5 s, GPIO 20 every
 * 2 s) and an HTTP/1.1 server that shows them live and switches their
 * blinking on and off.
 *
 *   GET  /                 the page (LEDs updated through Server-Sent Events)
 *   GET  /events           text/event-stream: one "data: {json}" per change
 *   GET  /state            the same JSON once
 *   POST /led/19/toggle    switch GPIO 19's blinking on/off (also 20; /on, /off)
 *
 * With a readings source (webapp_config_t.readings) the page also has a
 * "Sensor" line and the JSON a "sensor" text (null before the first
 * reading); webapp_reading_changed() sends it to every event stream.
 *
 * Keep-alive and pipelining; a request head (request line and headers) over
 * 8 KiB gets 431, a malformed one 400, an unknown path 404, a known path with
 * another method 405; a client idle longer than idle_timeout_ms (no complete
 * request head in that time) is dropped, and so is one that stops reading
 * its answers for that long (its connection is reset, not left draining);
 * an event stream is not subject to the idle limit (it lasts while the
 * client reads it); past max_clients connections the next one gets 503 and
 * is closed.
 */
#ifndef WEBSERVER_APP_H
#define WEBSERVER_APP_H

#include <stdint.h>

#include "asyncio.h"
#include "asyncio_stream.h"

/* A sensor whose latest reading the page shows (the host's sensor-display
 * program is one). */
typedef struct webapp_readings {
    /* Writes the latest reading as one short line of text ("25.08 C,
     * 1006.53 hPa") into buf (n bytes, NUL-terminated) and returns its
     * length, or 0 while there is none yet. Called from the server's tasks;
     * must not suspend. What is not printable ASCII, and quotes,
     * backslashes, '<', '>' and '&', are left out of the page and JSON. */
    size_t (*format)(void *ctx, char *buf, size_t n);
    void *ctx;
} webapp_readings_t;

#define WEBAPP_READING_MAX 64u /* longer readings are cut */

typedef struct {
    const char *host;                  /* default "127.0.0.1" */
    uint16_t port;                     /* 0: any free port (see webapp_port) */
    unsigned max_clients;              /* 0: webapp_default_max_clients() */
    uint32_t idle_timeout_ms;          /* default 10000 */
    uint32_t heartbeat_ms;             /* SSE comment when nothing changed; default 15000 */
    bool quiet;                        /* no log lines */
    const webapp_readings_t *readings; /* NULL: no sensor line; else the caller's, kept */
    /* Each connection's handler as a shared-stack task (asyncio_server_opts_t
     * .shared_stack): an idle connection then keeps a few hundred bytes of
     * frames instead of a stack page. The handlers keep nothing of theirs
     * that others point to (requests are on the heap, the event is the
     * app's). Where the port offers no shared-stack tasks (the Pico W),
     * webapp_start fails with -ENOTSUP. */
    bool shared_stacks;
} webapp_config_t;

typedef struct webapp webapp_t;

/* The client limit when the configuration gives none: what the platform
 * can hold. On a host (fd_limit.c) every connection costs the server one
 * file descriptor, so it is the process's descriptor limit (RLIMIT_NOFILE, soft) less
 * WEBAPP_RESERVED_FDS for everything else (listening sockets, the loop's
 * epoll and wake-up fds, stdio, the trace file), at most
 * WEBAPP_MAX_CLIENTS_CAP; half the limit when it is tiny. Past the limit a
 * client gets 503 instead of the server failing to accept. */
#define WEBAPP_RESERVED_FDS    32u
#define WEBAPP_MAX_CLIENTS_CAP 1000000u
unsigned webapp_default_max_clients(void);

/* Inside a task: starts the blink tasks and the server. 0 or a negative errno. */
int webapp_start(const webapp_config_t *cfg, webapp_t **out);
uint16_t webapp_port(const webapp_t *app);
unsigned webapp_clients(const webapp_t *app); /* connections being served */
unsigned webapp_refused(const webapp_t *app); /* connections answered 503 */
/* A new reading is in (the readings source formats it from now on): every
 * event stream sends the state with it. Call it on the loop's thread (a
 * task or a callback); it does not suspend. */
void webapp_reading_changed(webapp_t *app);

/* Inside a task: stops accepting, ends the event streams, gives the other
 * clients up to grace_ms to finish (then cancels them), stops the LEDs, frees. */
int webapp_stop(webapp_t *app, uint32_t grace_ms);

#endif
