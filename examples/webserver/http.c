/* The strict request-head parser: see http.h. */
#include "http.h"

#include <string.h>

static bool is_tchar(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Visible ASCII, as a request target allows (no spaces, no controls). */
static bool is_vchar(unsigned char c) { return c > 0x20 && c < 0x7f; }

/* Field values: visible characters, spaces, tabs, and obs-text (>= 0x80). */
static bool is_field_char(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static bool ieq(http_str_t s, const char *lit) {
    size_t n = strlen(lit);
    if (s.n != n) return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s.p[i]) != lower(lit[i])) return false;
    return true;
}

bool http_str_eq(http_str_t s, const char *lit) {
    size_t n = strlen(lit);
    return s.n == n && memcmp(s.p, lit, n) == 0;
}

/* Does a comma-separated list (Connection:) contain the token? */
static bool list_has(http_str_t v, const char *token) {
    size_t i = 0;
    while (i < v.n) {
        while (i < v.n && (v.p[i] == ' ' || v.p[i] == '\t' || v.p[i] == ',')) i++;
        size_t start = i;
        while (i < v.n && v.p[i] != ',') i++;
        size_t end = i;
        while (end > start && (v.p[end - 1] == ' ' || v.p[end - 1] == '\t')) end--;
        http_str_t item = {v.p + start, end - start};
        if (item.n && ieq(item, token)) return true;
    }
    return false;
}

const http_str_t *http_header(const http_request_t *req, const char *name) {
    for (size_t i = 0; i < req->n_headers; i++)
        if (ieq(req->names[i], name)) return &req->values[i];
    return NULL;
}

/* One line ending in CRLF from buf[*pos..len): its contents (without CRLF).
 * false if there is no CRLF or a bare CR / LF appears. */
static bool next_line(const char *buf, size_t len, size_t *pos, http_str_t *line) {
    size_t i = *pos;
    while (i < len && buf[i] != '\r' && buf[i] != '\n') i++;
    if (i + 1 >= len || buf[i] != '\r' || buf[i + 1] != '\n') return false;
    line->p = buf + *pos;
    line->n = i - *pos;
    *pos = i + 2;
    return true;
}

static int parse_request_line(http_str_t l, http_request_t *req) {
    size_t i = 0;
    while (i < l.n && is_tchar((unsigned char)l.p[i])) i++;
    if (i == 0 || i >= l.n || l.p[i] != ' ') return 400;
    req->method = (http_str_t){l.p, i};
    size_t t = ++i;
    while (i < l.n && is_vchar((unsigned char)l.p[i])) i++;
    if (i == t || i >= l.n || l.p[i] != ' ') return 400;
    req->target = (http_str_t){l.p + t, i - t};
    http_str_t v = {l.p + i + 1, l.n - i - 1};
    if (v.n != 8 || memcmp(v.p, "HTTP/", 5) != 0 || v.p[6] != '.' || v.p[5] < '0' || v.p[5] > '9' ||
        v.p[7] < '0' || v.p[7] > '9')
        return 400;
    if (v.p[5] != '1' || (v.p[7] != '0' && v.p[7] != '1')) return 505;
    req->minor = v.p[7] - '0';
    /* origin-form only: "/path?query" */
    if (req->target.p[0] != '/') return 400;
    const char *q = memchr(req->target.p, '?', req->target.n);
    req->path = (http_str_t){req->target.p, q ? (size_t)(q - req->target.p) : req->target.n};
    req->query = q ? (http_str_t){q + 1, req->target.n - req->path.n - 1} : (http_str_t){q, 0};
    return 0;
}

static int parse_header(http_str_t l, http_request_t *req) {
    size_t i = 0;
    while (i < l.n && is_tchar((unsigned char)l.p[i])) i++;
    if (i == 0 || i >= l.n || l.p[i] != ':') return 400; /* also: obs-fold, space before ':' */
    http_str_t name = {l.p, i};
    i++;
    while (i < l.n && (l.p[i] == ' ' || l.p[i] == '\t')) i++;
    size_t end = l.n;
    while (end > i && (l.p[end - 1] == ' ' || l.p[end - 1] == '\t')) end--;
    for (size_t k = i; k < end; k++)
        if (!is_field_char((unsigned char)l.p[k])) return 400;
    http_str_t value = {l.p + i, end - i};
    if (req->n_headers == HTTP_MAX_HEADERS) return 431;
    req->names[req->n_headers] = name;
    req->values[req->n_headers] = value;
    req->n_headers++;
    if (ieq(name, "host")) {
        if (req->has_host) return 400; /* more than one Host */
        req->has_host = true;
    } else if (ieq(name, "transfer-encoding")) {
        return 501;
    } else if (ieq(name, "content-length")) {
        if (value.n == 0 || value.n > 15) return 400;
        uint64_t v = 0;
        for (size_t k = 0; k < value.n; k++) {
            if (value.p[k] < '0' || value.p[k] > '9') return 400;
            v = v * 10 + (uint64_t)(value.p[k] - '0');
        }
        if (req->has_content_length && req->content_length != v) return 400; /* smuggling */
        req->has_content_length = true;
        req->content_length = v;
    }
    return 0;
}

int http_parse_head(const char *buf, size_t len, http_request_t *req) {
    memset(req, 0, sizeof *req);
    if (len > HTTP_MAX_HEAD) return 431;
    size_t pos = 0;
    http_str_t line;
    if (!next_line(buf, len, &pos, &line)) return 400;
    int status = parse_request_line(line, req);
    if (status) return status;
    for (;;) {
        if (!next_line(buf, len, &pos, &line)) return 400;
        if (line.n == 0) break;
        status = parse_header(line, req);
        if (status) return status;
    }
    if (pos != len) return 400; /* bytes after the empty line are not the head's */
    if (req->minor == 1 && !req->has_host) return 400;
    const http_str_t *conn = http_header(req, "connection");
    if (req->minor == 1)
        req->keep_alive = !(conn && list_has(*conn, "close"));
    else
        req->keep_alive = conn && list_has(*conn, "keep-alive");
    return 0;
}

const char *http_reason(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}
