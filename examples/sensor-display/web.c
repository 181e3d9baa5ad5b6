/* The sensor-display program with the LED web server: see web.h. */
#include "web.h"

#include <stdio.h>

#include "app.h"

static webapp_t *server;
static int32_t last_centi_celsius;
static uint32_t last_pascals;
static bool have_reading;

static void reading_in(void *ctx, int32_t centi_celsius, uint32_t pascals) {
    (void)ctx;
    last_centi_celsius = centi_celsius;
    last_pascals = pascals;
    have_reading = true;
    if (server) webapp_reading_changed(server);
}

/* The two display pages' values on one line. */
static size_t format_reading(void *ctx, char *buf, size_t n) {
    (void)ctx;
    if (!have_reading) return 0;
    char title[16], temperature[16], pressure[16];
    app_page_text(APP_PAGE_TEMPERATURE, last_centi_celsius, last_pascals, title, temperature);
    app_page_text(APP_PAGE_PRESSURE, last_centi_celsius, last_pascals, title, pressure);
    int len = snprintf(buf, n, "%s, %s", temperature, pressure);
    return len < 0 ? 0 : (size_t)len < n ? (size_t)len : n - 1;
}

static const webapp_readings_t readings = {.format = format_reading};
static app_options_t options = {.leds_elsewhere = true, .on_reading = reading_in};

int sensor_web_start(const webapp_config_t *cfg, webapp_t **out) {
    webapp_config_t with_readings = *cfg;
    with_readings.readings = &readings;
    have_reading = false;
    int err = webapp_start(&with_readings, &server);
    if (err) return err;
    err = app_main(&options);
    if (err) {
        sensor_web_stop(server, 0);
        return err;
    }
    *out = server;
    return 0;
}

int sensor_web_stop(webapp_t *app, uint32_t grace_ms) {
    if (app == server) server = NULL;
    return webapp_stop(app, grace_ms);
}
