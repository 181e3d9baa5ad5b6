/*
 * The sensor-display program, the same on the Pico and on the host: two
 * LEDs blinking (GPIO 20 every 2 s, GPIO 19 every 0.5 s), a BMP280 read
 * every second on I2C0 (SDA GPIO 4, SCL GPIO 5, 400 kHz), the reading shown
 * on an SSD1306 display on the same bus, and a button on GPIO 14 (to
 * ground) that switches the display between temperature and pressure.
 */
#ifndef SENSOR_DISPLAY_APP_H
#define SENSOR_DISPLAY_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define APP_LED_SLOW 20
#define APP_LED_FAST 19
#define APP_I2C_SDA  4
#define APP_I2C_SCL  5
#define APP_BUTTON   14

enum app_page { APP_PAGE_TEMPERATURE, APP_PAGE_PRESSURE, APP_PAGES };

/* What a program around this one may ask of it (app_main's argument). */
typedef struct app_options {
    bool leds_elsewhere; /* the LEDs are blinked by someone else (the host's web server) */
    /* Called from the sensor task with each reading; must not suspend. */
    void (*on_reading)(void *ctx, int32_t centi_celsius, uint32_t pascals);
    void *ctx;
} app_options_t;

/* The program's main task; arg is a const app_options_t * (kept while the
 * program runs) or NULL for the defaults. Starts the others and returns 0,
 * or a negative errno when the sensor or the display does not answer. */
int app_main(void *arg);

/* The two lines page `page` shows for a reading: a title and the value
 * ("TEMPERATURE" / "25.08 C", "PRESSURE" / "1006.53 hPa"). */
void app_page_text(enum app_page page, int32_t centi_celsius, uint32_t pascals, char title[16],
                   char value[16]);

#endif
