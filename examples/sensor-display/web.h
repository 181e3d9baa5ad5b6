/*
 * On the host: the sensor-display program beside the LED web server
 * (examples/webserver), whose page then shows the readings too. The server
 * blinks the LEDs (its page switches them); the program reads, draws and
 * answers the button as always.
 */
#ifndef SENSOR_DISPLAY_WEB_H
#define SENSOR_DISPLAY_WEB_H

#include "../webserver/app.h"

/* Inside a task: starts the web server with cfg (its `readings` are set
 * here: the program's latest reading, "25.08 C, 1006.53 hPa") and then the
 * program (app_main) with the LEDs left to the server. 0, or a negative
 * errno (the server stopped again when the program could not start). */
int sensor_web_start(const webapp_config_t *cfg, webapp_t **out);

/* Inside a task: stops the server as webapp_stop() does (the program goes
 * on, its readings no longer sent anywhere). 0 or a negative errno. */
int sensor_web_stop(webapp_t *app, uint32_t grace_ms);

#endif
