/*
 * A small, strict HTTP/1.x request-head parser (RFC 9112 subset).
 *
 * It parses a complete request head (request line and header lines, each
 * ending in CRLF, then an empty line) held in memory, without copying:
 * every string in http_request_t points into the caller's buffer and is not
 * NUL-terminated (pointer + length). Anything outside the grammar is refused:
 * bare LF, obsolete line folding, whitespace before a header's colon, control
 * characters, an unknown version, conflicting or malformed Content-Length,
 * Transfer-Encoding (unsupported: 501).
 */
#ifndef WEBSERVER_HTTP_H
#define WEBSERVER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_HEAD    8192u /* request line + headers + final CRLF */
#define HTTP_MAX_HEADERS 32u

typedef struct {
    const char *p;
    size_t n;
} http_str_t;

typedef struct {
    http_str_t method, target, path, query;
    int minor;       /* HTTP/1.<minor>: 0 or 1 */
    bool keep_alive; /* after Connection: and the version's default */
    bool has_host;
    bool has_content_length; /* a Content-Length was given (any two must agree) */
    uint64_t content_length;  /* 0 when absent */
    size_t n_headers;
    http_str_t names[HTTP_MAX_HEADERS], values[HTTP_MAX_HEADERS];
} http_request_t;

/* Parses the request head in buf[0..len), which must end with the empty line
 * ("\r\n\r\n"). Returns 0, or the HTTP status the server should answer with:
 * 400 (malformed), 431 (too many headers / head too long), 501 (a
 * Transfer-Encoding), 505 (a version other than HTTP/1.0 and HTTP/1.1). */
int http_parse_head(const char *buf, size_t len, http_request_t *req);

/* Case-insensitive lookup of a header; NULL if absent. */
const http_str_t *http_header(const http_request_t *req, const char *name);

/* The reason phrase of a status code ("Not Found"). */
const char *http_reason(int status);

/* True if s equals the NUL-terminated literal (case-sensitive). */
bool http_str_eq(http_str_t s, const char *lit);

#endif
