/* The sensor-display example with the LED web server beside it (the host's
 * `sensor-display --port P`), in virtual time: an event-stream client gets
 * the simulated BMP280's reading (its datasheet's 25.08 C, 1006.53 hPa),
 * the page has the sensor line, and the LEDs, blinked by the server alone,
 * keep their periods. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "asyncio.h"
#include "asyncio_stream.h"
#include "check.h"
#include "machine.h"
#include "machine_sim.h"
#include "sim_devices.h"
#include "web.h"

#define DATASHEET_READING "25.08 C, 1006.53 hPa"

static sim_bmp280_t sensor;
static sim_ssd1306_t display;
static uint16_t port;

/* Sends a request and reads the response head (up to its empty line);
 * returns the status, or a negative errno. */
static int send_request(asyncio_stream_t *s, const char *raw, size_t *content_length) {
    char line[256];
    asyncio_stream_write(s, raw, strlen(raw));
    ssize_t n = asyncio_stream_readline(s, line, sizeof line - 1);
    if (n <= 0) return n ? (int)n : -EPIPE;
    line[n] = 0;
    int status = 0;
    if (sscanf(line, "HTTP/1.1 %d", &status) != 1) return -EPROTO;
    *content_length = 0;
    while ((n = asyncio_stream_readline(s, line, sizeof line - 1)) > 2) {
        line[n] = 0;
        if (strncasecmp(line, "Content-Length:", 15) == 0)
            *content_length = (size_t)atol(line + 15);
    }
    return n < 0 ? (int)n : status;
}

/* Reads the event stream until an event with `want` in its data, within
 * ms: the time it came (virtual µs), or 0 when none did. */
static uint64_t event_with(asyncio_stream_t *s, const char *want, uint32_t ms) {
    char line[512];
    ssize_t n;
    uint64_t seen = 0;
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, ms);
    while (!seen && (n = asyncio_stream_readline(s, line, sizeof line - 1)) > 0) {
        line[n] = 0;
        if (strncmp(line, "data: {", 7) == 0 && strstr(line, want)) seen = asyncio_ticks_us();
    }
    asyncio_timeout_exit(&scope);
    return seen;
}

static int client(void *arg) {
    (void)arg;
    asyncio_stream_t *events, *page;
    size_t len;
    CHECK_EQ(asyncio_open_connection("127.0.0.1", port, &events), 0);
    CHECK_EQ(send_request(events, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n", &len), 200);
    /* the first reading is taken at once, the next one a second later: the
     * simulated room has warmed by 0.01 C by then (see below) */
    CHECK(event_with(events, "\"sensor\":\"" DATASHEET_READING "\"", 500) != 0);
    uint64_t second = event_with(events, "\"sensor\":\"25.09 C, 1006.54 hPa\"", 1500);
    CHECK(second >= 1000000u && second < 1100000u);

    CHECK_EQ(asyncio_open_connection("127.0.0.1", port, &page), 0);
    CHECK_EQ(send_request(page, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", &len), 200);
    static char body[16384];
    CHECK(len > 0 && len < sizeof body);
    CHECK_EQ(asyncio_stream_readexactly(page, body, len), (ssize_t)len);
    body[len] = 0;
    CHECK(strstr(body, "<p>Sensor: <span id=\"sensor\">25.09 C, 1006.54 hPa</span></p>") != NULL);
    asyncio_stream_close(page);
    asyncio_stream_close(events);
    return 0;
}

static void warm_up(void *arg) {
    (void)arg;
    sim_bmp280_set_raw(&sensor, 519888 + 30, 415148); /* +0.01 C, +1 Pa */
}

static int scenario(void *arg) {
    (void)arg;
    webapp_t *web;
    CHECK_EQ(sensor_web_start(&(webapp_config_t){.port = 0, .quiet = true}, &web), 0);
    port = webapp_port(web);
    asyncio_task_t *c = asyncio_create_task(client, NULL);
    CHECK_EQ(asyncio_await(c), 0);
    CHECK_EQ(sensor_web_stop(web, 100), 0);
    asyncio_sleep_ms(1000); /* the program goes on without the server: no event sent anywhere */
    return 0;
}

static void test_readings_in_the_web_page(void) {
    machine_sim_reset();
    machine_pin_sim_drive(APP_BUTTON, 1);
    CHECK_EQ(sim_bmp280_attach(&sensor, 0, 0x76), 0);
    CHECK_EQ(sim_ssd1306_attach(&display, 0, 0x3c), 0);
    asyncio_loop_t *loop = virtual_loop();
    asyncio_loop_call_later_ms(loop, 500, warm_up, NULL);
    asyncio_task_t *main_task = asyncio_loop_create_task(loop, scenario, NULL);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, main_task), 0);
    uint64_t stopped_at = asyncio_loop_time_us(loop);
    asyncio_loop_close(loop);

    CHECK(display.on);
    CHECK(display.frames >= 2); /* the display still shows each reading */
    /* the server alone blinks the LEDs: GPIO 19 every 0.5 s, not toggled twice */
    unsigned changes = machine_pin_sim_changes(APP_LED_FAST);
    CHECK(changes >= 3);
    for (unsigned i = 0; i < changes; i++)
        CHECK_EQ(machine_pin_sim_change_time(APP_LED_FAST, i), 500000u * i);
    CHECK(stopped_at >= 2000000u);
}

int main(void) {
    RUN(test_readings_in_the_web_page);
    machine_sim_reset();
    return check_summary();
}
