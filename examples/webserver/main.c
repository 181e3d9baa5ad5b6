/*
 * The LED web server of the tutorial's sequel, on the host: the two LEDs are
 * the simulated pins of machine.h, blinking while an HTTP/1.1 server shows
 * them live in a browser.
 *
 *   webserver [--host H] [--port P] [--max-clients N] [--idle-timeout-ms T]
 *             [--stacks shared|own] [--seconds S]
 *
 * Defaults: 127.0.0.1:8080, as many clients as the file-descriptor limit
 * allows (ulimit -n, less a few; see webapp_default_max_clients), 10 s idle
 * timeout, connection handlers on the shared stack, until Ctrl-C. --help
 * says so.
 *
 * Why the shared stack by default: a server like this one holds mostly idle
 * connections (keep-alive, event streams), and a handler waiting for its
 * next request keeps only its frames' few hundred bytes instead of a stack
 * page of its own (bench/net/run.sh measures both), for a copy of those
 * bytes at each switch that costs the throughput little (the kernel's TCP
 * path is most of a request's time). --stacks own gives each handler its
 * own stack.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

static asyncio_flag_t interrupted = ASYNCIO_FLAG_INIT;
static webapp_config_t cfg = {.host = "127.0.0.1", .port = 8080, .shared_stacks = true};
static double seconds;

static void on_signal(int sig) {
    (void)sig;
    asyncio_flag_set(&interrupted);
}

static int main_task(void *arg) {
    (void)arg;
    webapp_t *app;
    int err = webapp_start(&cfg, &app);
    if (err) {
        fprintf(stderr, "webserver: cannot listen on %s:%u: %s\n", cfg.host, (unsigned)cfg.port,
                strerror(-err));
        return err;
    }
    asyncio_timeout_t scope;
    if (seconds > 0) asyncio_timeout_enter_ms(&scope, (uint32_t)(seconds * 1000));
    asyncio_flag_wait(&interrupted); /* Ctrl-C, or the time is up */
    if (seconds > 0) asyncio_timeout_exit(&scope);
    return webapp_stop(app, 1000);
}

static void usage(const char *argv0, FILE *to) {
    fprintf(to,
            "usage: %s [--host H] [--port P] [--max-clients N] [--idle-timeout-ms T]\n"
            "          [--stacks shared|own] [--seconds S]\n"
            "  --host H             address to listen on (default 127.0.0.1)\n"
            "  --port P             TCP port (default 8080; 0: any free port)\n"
            "  --max-clients N      connections served at once, the next get 503 (default:\n"
            "                       the file-descriptor limit less %u, here %u; ulimit -n\n"
            "                       raises it)\n"
            "  --idle-timeout-ms T  drop a client that sends no complete request head, or\n"
            "                       reads no answer, for T ms (default 10000)\n"
            "  --stacks shared|own  run each connection's handler on the loop's shared\n"
            "                       stack, keeping a few hundred bytes while it waits\n"
            "                       (default), or on a stack of its own (a page or more)\n"
            "  --seconds S          stop after S seconds (default: at Ctrl-C)\n",
            argv0, WEBAPP_RESERVED_FDS, webapp_default_max_clients());
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) return usage(argv[0], stdout), 0;
        if (!v) goto usage;
        if (strcmp(a, "--host") == 0)
            cfg.host = v;
        else if (strcmp(a, "--port") == 0)
            cfg.port = (uint16_t)atoi(v);
        else if (strcmp(a, "--max-clients") == 0)
            cfg.max_clients = (unsigned)atoi(v);
        else if (strcmp(a, "--idle-timeout-ms") == 0)
            cfg.idle_timeout_ms = (uint32_t)atoi(v);
        else if (strcmp(a, "--stacks") == 0 && (!strcmp(v, "shared") || !strcmp(v, "own")))
            cfg.shared_stacks = strcmp(v, "shared") == 0;
        else if (strcmp(a, "--seconds") == 0)
            seconds = atof(v);
        else
            goto usage;
        i++;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    return asyncio_run(main_task, NULL) < 0 ? 1 : 0;
usage:
    usage(argv[0], stderr);
    return 2;
}
