/*
 * The tasks of the sensor-display program. The sensor task and the button
 * task share the display and its page: whoever changes what is shown
 * redraws it, under a lock so that two redraws never mix on the bus.
 */
#include "app.h"

#include <stdio.h>

#include "asyncio.h"
#include "bmp280.h"
#include "machine.h"
#include "ssd1306.h"

static machine_pin_t slow_led, fast_led;
static machine_i2c_t i2c;
static machine_button_t button;
static bmp280_t sensor;
static ssd1306_t display;
static asyncio_lock_t display_lock = ASYNCIO_LOCK_INIT;
static enum app_page page;
static int32_t last_centi_celsius;
static uint32_t last_pascals;
static bool have_reading;
static const app_options_t *options;

void app_page_text(enum app_page p, int32_t centi_celsius, uint32_t pascals, char title[16],
                   char value[16]) {
    if (p == APP_PAGE_TEMPERATURE) {
        int32_t whole = centi_celsius / 100, hundredths = centi_celsius % 100;
        if (hundredths < 0) hundredths = -hundredths;
        snprintf(title, 16, "TEMPERATURE");
        snprintf(value, 16, "%s%ld.%02ld C", centi_celsius < 0 && whole == 0 ? "-" : "",
                 (long)whole, (long)hundredths);
    } else {
        snprintf(title, 16, "PRESSURE");
        snprintf(value, 16, "%lu.%02lu hPa", (unsigned long)(pascals / 100u),
                 (unsigned long)(pascals % 100u));
    }
}

static int redraw(void) {
    int err = asyncio_lock_acquire(&display_lock);
    if (err) return err;
    char title[16], value[16];
    ssd1306_clear(&display);
    if (have_reading) {
        app_page_text(page, last_centi_celsius, last_pascals, title, value);
        ssd1306_text(&display, 0, 0, title, 1);
        ssd1306_text(&display, 0, 3, value, 2);
    }
    err = ssd1306_show(&display);
    asyncio_lock_release(&display_lock);
    return err;
}

static int blink(void *arg) {
    machine_pin_t *led = arg;
    uint32_t ms = led == &slow_led ? 2000 : 500;
    for (;;) {
        machine_pin_toggle(led);
        if (asyncio_sleep_ms(ms) < 0) return 0;
    }
}

/* Every second: a reading, printed and shown. */
static int read_sensor(void *arg) {
    (void)arg;
    uint64_t next = asyncio_ticks_us();
    for (;;) {
        int err = bmp280_read(&sensor, &last_centi_celsius, &last_pascals);
        if (err == -ECANCELED) return 0;
        if (err == 0) {
            have_reading = true;
            printf("reading %ld.%02ld C %lu Pa\n", (long)(last_centi_celsius / 100),
                   (long)(last_centi_celsius % 100), (unsigned long)last_pascals);
            if (options && options->on_reading)
                options->on_reading(options->ctx, last_centi_celsius, last_pascals);
            redraw();
        }
        next += 1000000u;
        if (asyncio_sleep_until_us(next) < 0) return 0;
    }
}

static int switch_pages(void *arg) {
    (void)arg;
    for (;;) {
        int ev = machine_button_wait(&button);
        if (ev < 0) return 0;
        if (ev != MACHINE_BUTTON_PRESS) continue;
        page = (enum app_page)((page + 1) % APP_PAGES);
        printf("page %d\n", (int)page);
        redraw();
    }
}

int app_main(void *arg) {
    options = arg;
    machine_i2c_init(&i2c, 0, APP_I2C_SCL, APP_I2C_SDA, 400000);
    machine_button_init(&button, APP_BUTTON, true);
    if (!options || !options->leds_elsewhere) {
        machine_pin_init(&slow_led, APP_LED_SLOW, MACHINE_PIN_OUT);
        machine_pin_init(&fast_led, APP_LED_FAST, MACHINE_PIN_OUT);
        asyncio_task_detach(asyncio_create_task(blink, &slow_led));
        asyncio_task_detach(asyncio_create_task(blink, &fast_led));
    }
    int err = bmp280_init(&sensor, &i2c, BMP280_ADDR);
    if (!err) err = ssd1306_init(&display, &i2c, SSD1306_ADDR);
    if (err) {
        printf("sensor or display missing: %d\n", err);
        return err;
    }
    asyncio_task_detach(asyncio_create_task(read_sensor, NULL));
    asyncio_task_detach(asyncio_create_task(switch_pages, NULL));
    return 0;
}
