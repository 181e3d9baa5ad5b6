/* A small HTTP/1.1 client that the web server tests share, over sockets
 * (test_http.c) and over lwIP (lwip/test_lwip_http.c): the same calls on
 * either transport, given the server's address and port. */
#ifndef CASYNCIO_TEST_HTTP_CLIENT_H
#define CASYNCIO_TEST_HTTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "asyncio.h"
#include "asyncio_stream.h"

/* One response: its status, whether the server closes after it, its body. */
struct response {
    int status;
    bool close;
    size_t body_len;
    char body[16384];
};

/* Reads one response from s (suspends until it is all in); returns its
 * status, or a negative errno (-EPROTO: not a whole HTTP/1.1 response). */
static int read_response(asyncio_stream_t *s, struct response *r) {
    char line[512];
    memset(r, 0, offsetof(struct response, body));
    ssize_t n = asyncio_stream_readline(s, line, sizeof line - 1);
    if (n <= 0) return n ? (int)n : -EPIPE;
    line[n] = 0;
    if (sscanf(line, "HTTP/1.1 %d", &r->status) != 1) return -EPROTO;
    size_t len = 0;
    for (;;) {
        n = asyncio_stream_readline(s, line, sizeof line - 1);
        if (n <= 0) return -EPROTO;
        line[n] = 0;
        if (strcmp(line, "\r\n") == 0) break;
        if (strncasecmp(line, "Content-Length:", 15) == 0) len = (size_t)atol(line + 15);
        if (strncasecmp(line, "Connection: close", 17) == 0) r->close = true;
    }
    if (len > sizeof r->body) return -EMSGSIZE;
    if (len && asyncio_stream_readexactly(s, r->body, len) != (ssize_t)len) return -EPROTO;
    r->body_len = len;
    return r->status;
}

/* Queues the raw request text on s (not drained); returns what
 * asyncio_stream_write returns. */
static ssize_t send_request(asyncio_stream_t *s, const char *raw) {
    return asyncio_stream_write(s, raw, strlen(raw));
}

/* One request on a connection of its own to host:port: connects, sends the
 * raw text, reads the response into r and closes. Returns the status, or a
 * negative errno (of the connect or of read_response). */
static int http_request(const char *host, uint16_t port, const char *raw, struct response *r) {
    asyncio_stream_t *s;
    int err = asyncio_open_connection(host, port, &s);
    if (err) return err;
    send_request(s, raw);
    int status = read_response(s, r);
    asyncio_stream_close(s);
    return status;
}

#endif
