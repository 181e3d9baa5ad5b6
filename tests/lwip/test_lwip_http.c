/* The LED web server example, unchanged, served over lwIP (two interfaces
 * wired back to back, virtual time): malformed and oversized requests,
 * keep-alive and pipelining, a slow client dropped on its timeout, 503 past
 * the client limit, the event stream. */
#define _GNU_SOURCE
#include <stdio.h>
#include <strings.h>

#include "../../examples/webserver/app.c"
#include "../../examples/webserver/fd_limit.c"
#include "../../examples/webserver/http.c"
#include "../webapp_scenarios.h" /* the client, the scenarios any transport shares */
#include "lwip_test.h"

#define SERVER ASYNCIO_LWIP_WIRE_B

/* Each scenario runs once, on a fresh wire and loop with virtual time. */
static int run_scenario(asyncio_coro_fn body, webapp_config_t cfg) {
    struct scenario sc = {body, cfg};
    return run_on_wire(scenario_main, &sc);
}

/* ---- a slow client is dropped on its timeout (exactly, in virtual time) -----------------------
 */

static int body_slow(void *arg) {
    (void)arg;
    size_t sent;
    int err;
    uint64_t took = slow_client(&sent, &err);
    /* bytes at 0, 100, ..., 300 ms: the server closes at 400 (and resets
     * the connection if a fifth byte sent at 400 arrived unread) */
    CHECK((sent == 4 && err == -EPIPE) || (sent == 5 && err == -ECONNRESET));
    CHECK_EQ(took, 400000); /* dropped at the 400 ms idle timeout, to the microsecond */
    return 0;
}

static void test_slow_client_dropped_on_timeout(void) {
    CHECK_EQ(run_scenario(body_slow, (webapp_config_t){.idle_timeout_ms = 400}), 0);
}

/* ---- the event stream ---------------------------------------------------------------------- */

/* In 2 s, GPIO 19 (every 0.5 s) toggles four times and GPIO 20 (every 2 s)
 * once. */
static int body_events(void *arg) {
    (void)arg;
    return event_stream_scenario(2000, 4, 6);
}

static void test_event_stream(void) {
    CHECK_EQ(run_scenario(body_events, (webapp_config_t){.heartbeat_ms = 100}), 0);
}

int main(void) {
    app_host = SERVER;
    RUN(test_requests_and_errors);
    RUN(test_keepalive_and_pipelining);
    RUN(test_slow_client_dropped_on_timeout);
    RUN(test_max_clients_get_503);
    RUN(test_event_stream);
    machine_pin_sim_reset();
    return check_summary();
}
