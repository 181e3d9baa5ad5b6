/* The LED web server: see app.h. */
#define _GNU_SOURCE
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "machine.h"

#define MAX_BODY 4096u /* request bodies are read and ignored; bigger: 413 */

struct led {
    machine_pin_t pin;
    unsigned gpio;
    uint32_t period_ms;
    bool blinking;
    asyncio_task_t *task;
    webapp_t *app;
};

struct webapp {
    webapp_config_t cfg;
    asyncio_server_t *server;
    struct led leds[2];
    uint64_t version;        /* bumped on every change */
    asyncio_event_t changed; /* set and cleared at once: wakes every event stream */
    bool stopping;
    unsigned clients, refused;
};

/* The page: PAGE_TOP, the sensor line when there is a sensor, PAGE_BOTTOM. */
static const char PAGE_TOP[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>casyncio LEDs</title>\n"
    "<style>\n"
    "body{font-family:sans-serif;background:#111;color:#eee;text-align:center}\n"
    ".leds{display:flex;justify-content:center;gap:4em;margin:2em}\n"
    ".led{width:6em;height:6em;border-radius:50%;margin:auto;border:3px solid #444;"
    "background:#222;transition:background .1s}\n"
    "#led19.on{background:#39f;box-shadow:0 0 2em #39f}\n"
    "#led20.on{background:#3d5;box-shadow:0 0 2em #3d5}\n"
    "button{margin-top:1em;font-size:1em;padding:.4em 1em}\n"
    "</style></head><body>\n"
    "<h1>casyncio LEDs</h1>\n"
    "<div class=\"leds\">\n"
    "<div><div id=\"led19\" class=\"led off\" data-state=\"0\"></div><p>GPIO 19 (blue, 0.5 s)</p>"
    "<button id=\"btn19\" onclick=\"toggle(19)\">Stop blinking</button></div>\n"
    "<div><div id=\"led20\" class=\"led off\" data-state=\"0\"></div><p>GPIO 20 (green, 2 s)</p>"
    "<button id=\"btn20\" onclick=\"toggle(20)\">Stop blinking</button></div>\n"
    "</div>\n";
static const char PAGE_BOTTOM[] =
    "<p id=\"status\">connecting...</p>\n"
    "<script>\n"
    "function show(s){for(const g of [19,20]){const l=document.getElementById('led'+g);"
    "l.className='led '+(s['gpio'+g]?'on':'off');l.dataset.state=String(s['gpio'+g]);"
    "const b=document.getElementById('btn'+g);b.dataset.blinking=String(s['blink'+g]);"
    "b.textContent=(s['blink'+g]?'Stop':'Start')+' blinking';}"
    "if(s.sensor)document.getElementById('sensor').textContent=s.sensor;"
    "document.getElementById('status').textContent='live, t = '+(s.t/1e6).toFixed(1)+' s';}\n"
    "const es=new EventSource('/events');\n"
    "es.onmessage=e=>show(JSON.parse(e.data));\n"
    "es.onerror=()=>{document.getElementById('status').textContent='reconnecting...';};\n"
    "function toggle(g){fetch('/led/'+g+'/toggle',{method:'POST'}).then(r=>r.json()).then(show);}\n"
    "</script></body></html>\n";

static void log_line(const webapp_t *app, const char *what) {
    if (!app->cfg.quiet) fprintf(stderr, "webserver: %s\n", what);
}

static void changed(webapp_t *app) {
    app->version++;
    asyncio_event_set(&app->changed);
    asyncio_event_clear(&app->changed);
}

static int blink(void *arg) {
    struct led *l = arg;
    for (;;) {
        if (l->blinking) {
            machine_pin_toggle(&l->pin);
            changed(l->app);
        }
        if (asyncio_sleep_ms(l->period_ms) < 0) return 0;
    }
}

void webapp_reading_changed(webapp_t *app) { changed(app); }

/* The latest reading, with what could break the JSON or the page left out:
 * its length, 0 while there is none. */
static size_t reading_text(const webapp_t *app, char out[WEBAPP_READING_MAX]) {
    char raw[WEBAPP_READING_MAX];
    const webapp_readings_t *r = app->cfg.readings;
    size_t n = r->format(r->ctx, raw, sizeof raw), kept = 0;
    for (size_t i = 0; i < n && i < sizeof raw - 1 && raw[i]; i++)
        if (raw[i] >= ' ' && raw[i] <= '~' && !strchr("\"\\<>&", raw[i])) out[kept++] = raw[i];
    out[kept] = 0;
    return kept;
}

#define STATE_JSON_MAX (128u + WEBAPP_READING_MAX)

static int state_json(const webapp_t *app, char *buf, size_t n) {
    char sensor[WEBAPP_READING_MAX + 16] = "";
    char reading[WEBAPP_READING_MAX];
    if (app->cfg.readings && reading_text(app, reading))
        snprintf(sensor, sizeof sensor, ",\"sensor\":\"%s\"", reading);
    else if (app->cfg.readings)
        snprintf(sensor, sizeof sensor, ",\"sensor\":null");
    return snprintf(
        buf, n, "{\"gpio19\":%d,\"gpio20\":%d,\"blink19\":%s,\"blink20\":%s,\"t\":%llu%s}",
        machine_pin_value(&app->leds[0].pin), machine_pin_value(&app->leds[1].pin),
        app->leds[0].blinking ? "true" : "false", app->leds[1].blinking ? "true" : "false",
        (unsigned long long)asyncio_ticks_us(), sensor);
}

/* ---- responses -------------------------------------------------------------------------- */

#define HDR_MAX      256u
#define ONE_SEND_MAX 16384u /* head and body up to this go out in one send */

/* Head and body in one buffer, so that a response costs one send (and one
 * segment) instead of two; the buffer is on the heap and brief, because a
 * task's stack pages stay resident for as long as the connection lives. */
static int respond(asyncio_stream_t *s, int status, const char *type, const char *body,
                   size_t body_len, bool keep_alive, bool head_only) {
    size_t send_body = head_only ? 0 : body_len;
    size_t cap = HDR_MAX + (send_body <= ONE_SEND_MAX ? send_body : 0);
    char *out = malloc(cap);
    if (!out) return -1;
    int n =
        snprintf(out, HDR_MAX,
                 "HTTP/1.1 %d %s\r\nServer: casyncio\r\nContent-Type: %s\r\n"
                 "Content-Length: %zu\r\nConnection: %s\r\n\r\n",
                 status, http_reason(status), type, body_len, keep_alive ? "keep-alive" : "close");
    size_t len = (size_t)n;
    if (send_body && cap > HDR_MAX) {
        memcpy(out + len, body, send_body);
        len += send_body;
        send_body = 0;
    }
    ssize_t w = asyncio_stream_write(s, out, len);
    free(out);
    if (w < 0) return -1;
    if (send_body && asyncio_stream_write(s, body, send_body) < 0) return -1;
    return asyncio_stream_drain(s);
}

static int respond_error(asyncio_stream_t *s, int status) {
    char body[64];
    int n = snprintf(body, sizeof body, "%d %s\n", status, http_reason(status));
    return respond(s, status, "text/plain", body, (size_t)n, false, false);
}

/* ---- reading a request head ------------------------------------------------------------ */

/* Reads lines up to the empty one into head, whose first `pre` bytes (the
 * start of the first line) were read already. Returns its length, 0 on a
 * clean end of file before a request, -EMSGSIZE when over HTTP_MAX_HEAD,
 * -EPROTO on an end of file inside a head, or the stream's error. */
static ssize_t read_head(asyncio_stream_t *s, char *head, size_t cap, size_t pre) {
    size_t used = 0;
    int blank_lines = 0;
    for (;;) {
        ssize_t n = asyncio_stream_readline(s, head + used + pre, cap - used - pre);
        if (n == -EMSGSIZE) return -EMSGSIZE;
        if (n < 0) return n;
        if (n == 0 && !pre) return used ? -EPROTO : 0;
        n += (ssize_t)pre;
        pre = 0;
        if (head[used + (size_t)n - 1] != '\n') return -EPROTO; /* EOF mid-line */
        bool empty = (n == 2 && head[used] == '\r') || n == 1;
        if (empty && used == 0) {
            if (++blank_lines > 4) return -EPROTO;
            continue; /* a stray CRLF between requests is tolerated */
        }
        used += (size_t)n;
        if (empty) return (ssize_t)used;
    }
}

/* What one request needs while it is served, on the heap and only then: a
 * task's stack pages stay resident for the life of the connection, so the
 * stack holds only small frames (one page for a whole request). */
struct request {
    http_request_t req;
    char scratch[512]; /* a body being dropped */
    char head[HTTP_MAX_HEAD];
};

/* Reads and drops a request body of `len` bytes. */
static int skip_body(asyncio_stream_t *s, uint64_t len, char *buf, size_t cap) {
    while (len > 0) {
        size_t chunk = len < cap ? (size_t)len : cap;
        ssize_t n = asyncio_stream_readexactly(s, buf, chunk);
        if (n < 0) return (int)n;
        len -= chunk;
    }
    return 0;
}

/* ---- routes ---------------------------------------------------------------------------- */

static int serve_events(webapp_t *app, asyncio_stream_t *s) {
    static const char hdr[] = "HTTP/1.1 200 OK\r\nServer: casyncio\r\n"
                              "Content-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                              "Connection: keep-alive\r\n\r\n";
    if (asyncio_stream_write(s, hdr, sizeof hdr - 1) < 0) return 0;
    uint64_t seen = app->version - 1;
    char buf[STATE_JSON_MAX + 8];
    while (!app->stopping) {
        if (seen != app->version) {
            seen = app->version;
            int n = snprintf(buf, sizeof buf, "data: ");
            n += state_json(app, buf + n, sizeof buf - (size_t)n - 2);
            buf[n++] = '\n';
            buf[n++] = '\n';
            if (asyncio_stream_write(s, buf, (size_t)n) < 0) return 0;
        }
        asyncio_timeout_t scope; /* a client that does not read is dropped */
        asyncio_timeout_enter_ms(&scope, app->cfg.idle_timeout_ms);
        int err = asyncio_stream_drain(s);
        asyncio_timeout_exit(&scope);
        if (err < 0) return 0;
        if (seen != app->version) continue;
        asyncio_timeout_enter_ms(&scope, app->cfg.heartbeat_ms);
        err = asyncio_event_wait(&app->changed);
        asyncio_timeout_exit(&scope);
        if (err == -ETIMEDOUT) {
            if (asyncio_stream_write(s, ": ping\n\n", 8) < 0) return 0;
        } else if (err < 0) {
            return 0;
        }
    }
    return 0;
}

/* The page, with the latest reading in its sensor line when there is a
 * sensor (the event stream keeps it up to date). */
static int serve_page(const webapp_t *app, asyncio_stream_t *s, bool keep, bool head) {
    char line[WEBAPP_READING_MAX + 96] = "", reading[WEBAPP_READING_MAX];
    if (app->cfg.readings) {
        if (!reading_text(app, reading)) snprintf(reading, sizeof reading, "waiting...");
        snprintf(line, sizeof line, "<p>Sensor: <span id=\"sensor\">%s</span></p>\n", reading);
    }
    size_t top = sizeof PAGE_TOP - 1, mid = strlen(line), bottom = sizeof PAGE_BOTTOM - 1;
    char *page = malloc(top + mid + bottom);
    if (!page) return respond_error(s, 503), -1;
    memcpy(page, PAGE_TOP, top);
    memcpy(page + top, line, mid);
    memcpy(page + top + mid, PAGE_BOTTOM, bottom);
    int err = respond(s, 200, "text/html; charset=utf-8", page, top + mid + bottom, keep, head);
    free(page);
    return err;
}

static struct led *led_of(webapp_t *app, http_str_t path, const char **action) {
    static const char *const actions[] = {"toggle", "on", "off"};
    for (int i = 0; i < 2; i++) {
        for (int a = 0; a < 3; a++) {
            char want[32];
            snprintf(want, sizeof want, "/led/%u/%s", app->leds[i].gpio, actions[a]);
            if (http_str_eq(path, want)) {
                *action = actions[a];
                return &app->leds[i];
            }
        }
    }
    return NULL;
}

static void set_blinking(struct led *l, bool on) {
    if (l->blinking == on) return;
    l->blinking = on;
    if (!on) machine_pin_off(&l->pin);
    changed(l->app);
}

static bool is_event_stream(const http_request_t *req) {
    return http_str_eq(req->path, "/events") && http_str_eq(req->method, "GET");
}

/* Serves one parsed request. Returns 1 to keep the connection, 0 to close it. */
static int route(webapp_t *app, asyncio_stream_t *s, const http_request_t *req) {
    bool get = http_str_eq(req->method, "GET"), head = http_str_eq(req->method, "HEAD");
    bool post = http_str_eq(req->method, "POST");
    bool keep = req->keep_alive && !app->stopping;
    char json[STATE_JSON_MAX];
    const char *action;
    struct led *l;
    if (http_str_eq(req->path, "/")) {
        if (!get && !head) return respond_error(s, 405), 0;
        return serve_page(app, s, keep, head) == 0 && keep;
    }
    if (http_str_eq(req->path, "/state")) {
        if (!get && !head) return respond_error(s, 405), 0;
        int n = state_json(app, json, sizeof json);
        return respond(s, 200, "application/json", json, (size_t)n, keep, head) == 0 && keep;
    }
    if (http_str_eq(req->path, "/events")) /* a GET is served by serve_one */
        return respond_error(s, 405), 0;
    if ((l = led_of(app, req->path, &action)) != NULL) {
        if (!post) return respond_error(s, 405), 0;
        set_blinking(l, strcmp(action, "toggle") == 0 ? !l->blinking : strcmp(action, "on") == 0);
        int n = state_json(app, json, sizeof json);
        return respond(s, 200, "application/json", json, (size_t)n, keep, false) == 0 && keep;
    }
    respond(s, 404, "text/plain", "404 Not Found\n", 14, keep, head);
    return keep;
}

/* Answers the request whose head (len bytes, or a negative read_head
 * result) was read. 0 to keep the connection, else non-zero. */
static int serve_one(webapp_t *app, asyncio_stream_t *s, struct request *r, ssize_t len) {
    if (len == -EMSGSIZE) {
        respond_error(s, 431);
        return 1;
    }
    if (len == -EPROTO) {
        respond_error(s, 400);
        return 1;
    }
    if (len <= 0) return 1; /* end of file, idle timeout, reset, cancelled */
    http_request_t *req = &r->req;
    int status = http_parse_head(r->head, (size_t)len, req);
    if (status) {
        respond_error(s, status);
        return 1;
    }
    if (req->content_length > MAX_BODY) {
        respond_error(s, 413);
        return 1;
    }
    /* The body and the answer get the idle limit; an event stream does not
     * (it lives as long as the client reads it: serve_events bounds each
     * drain itself). */
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, app->cfg.idle_timeout_ms);
    int err = skip_body(s, req->content_length, r->scratch, sizeof r->scratch);
    bool events = !err && is_event_stream(req);
    if (!err && !events && !route(app, s, req)) err = 1;
    asyncio_timeout_exit(&scope);
    if (events) {
        serve_events(app, s);
        return 1;
    }
    return err;
}

/* The server closes the stream after the handler, and a close first drains:
 * with no limit, a client that never reads would keep its connection (fd,
 * task, kernel buffers) for as long as it stays connected. So what it has not
 * taken within idle_timeout_ms is dropped here and the connection reset
 * (asyncio_stream_abort), which makes the server's close immediate. */
static void finish(webapp_t *app, asyncio_stream_t *s) {
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, app->cfg.idle_timeout_ms);
    int err = asyncio_stream_drain(s);
    asyncio_timeout_exit(&scope);
    if (err == -ETIMEDOUT) asyncio_stream_abort(s);
}

static int handle_client(asyncio_stream_t *s, void *arg) {
    webapp_t *app = arg;
    if (app->clients >= app->cfg.max_clients || app->stopping) {
        app->refused++;
        respond_error(s, 503);
        return 0;
    }
    app->clients++;
    for (;;) {
        /* The request buffer exists only while a request is in: an idle
         * connection waits for its first byte holding nothing. */
        asyncio_timeout_t scope;
        asyncio_timeout_enter_ms(&scope, app->cfg.idle_timeout_ms);
        char first;
        ssize_t len = asyncio_stream_read(s, &first, 1);
        struct request *r = len == 1 ? malloc(sizeof *r) : NULL;
        if (r) {
            r->head[0] = first;
            len = read_head(s, r->head, sizeof r->head, 1);
        } else if (len == 1) {
            len = -ENOMEM;
        }
        asyncio_timeout_exit(&scope);
        int err = serve_one(app, s, r, len);
        free(r);
        if (err) break;
    }
    app->clients--;
    finish(app, s);
    return 0;
}

/* ---- start, stop ---------------------------------------------------------------------------- */

int webapp_start(const webapp_config_t *cfg, webapp_t **out) {
    webapp_t *app = calloc(1, sizeof *app);
    if (!app) return -ENOMEM;
    app->cfg = *cfg;
    if (!app->cfg.host) app->cfg.host = "127.0.0.1";
    if (!app->cfg.max_clients) app->cfg.max_clients = webapp_default_max_clients();
    if (!app->cfg.idle_timeout_ms) app->cfg.idle_timeout_ms = 10000;
    if (!app->cfg.heartbeat_ms) app->cfg.heartbeat_ms = 15000;
    asyncio_event_init(&app->changed);
    const unsigned gpio[2] = {19, 20};
    const uint32_t period[2] = {500, 2000};
    for (int i = 0; i < 2; i++) {
        struct led *l = &app->leds[i];
        l->gpio = gpio[i];
        l->period_ms = period[i];
        l->blinking = true;
        l->app = app;
        machine_pin_init(&l->pin, gpio[i], MACHINE_PIN_OUT);
    }
    asyncio_server_opts_t server_opts = {.shared_stack = app->cfg.shared_stacks};
    app->server =
        asyncio_start_server_ex(handle_client, app, app->cfg.host, app->cfg.port, &server_opts);
    if (!app->server) {
        int err = -errno;
        free(app);
        return err;
    }
    for (int i = 0; i < 2; i++) {
        asyncio_task_opts_t opts = {.name = i ? "blink-green" : "blink-blue", .stack_size = 16384};
        app->leds[i].task = asyncio_create_task_ex(blink, &app->leds[i], &opts);
    }
    char msg[96];
    snprintf(msg, sizeof msg, "serving on http://%s%s%s:%u/", strchr(app->cfg.host, ':') ? "[" : "",
             app->cfg.host, strchr(app->cfg.host, ':') ? "]" : "",
             (unsigned)asyncio_server_port(app->server));
    log_line(app, msg);
    *out = app;
    return 0;
}

uint16_t webapp_port(const webapp_t *app) { return asyncio_server_port(app->server); }
unsigned webapp_clients(const webapp_t *app) { return app->clients; }
unsigned webapp_refused(const webapp_t *app) { return app->refused; }

int webapp_stop(webapp_t *app, uint32_t grace_ms) {
    app->stopping = true;
    asyncio_server_close(app->server);
    changed(app); /* event streams see `stopping` and end */
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, grace_ms);
    int err = asyncio_server_wait_closed(app->server);
    asyncio_timeout_exit(&scope);
    for (int i = 0; i < 2; i++) {
        asyncio_task_cancel(app->leds[i].task);
        asyncio_await(app->leds[i].task);
    }
    log_line(app, "stopped");
    free(app);
    return err == -ETIMEDOUT ? 0 : err;
}
