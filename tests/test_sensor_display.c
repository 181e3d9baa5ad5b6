/* The sensor-display example on the host, in virtual time: the BMP280
 * arithmetic against its datasheet's worked example, what the display
 * shows before and after a button press, and the LEDs' timing meanwhile. */
#include <string.h>

#include "app.h"
#include "asyncio.h"
#include "bmp280.h"
#include "check.h"
#include "machine.h"
#include "machine_sim.h"
#include "sim_devices.h"
#include "ssd1306.h"

static void test_compensation_matches_the_datasheet(void) {
    bmp280_t s = {.t1 = 27504,
                  .t2 = 26435,
                  .t3 = -1000,
                  .p1 = 36477,
                  .p2 = -10685,
                  .p3 = 3024,
                  .p4 = 2855,
                  .p5 = 140,
                  .p6 = -7,
                  .p7 = 15500,
                  .p8 = -14600,
                  .p9 = 6000};
    int32_t centi;
    uint32_t pa;
    bmp280_compensate(&s, 519888, 415148, &centi, &pa);
    CHECK_EQ(centi, 2508); /* 25.08 C */
    CHECK_EQ(pa, 100653);  /* 100653.27 Pa in the datasheet's floating-point version */
    char title[16], value[16];
    app_page_text(APP_PAGE_TEMPERATURE, -25, pa, title, value);
    CHECK_STR(value, "-0.25 C");
    app_page_text(APP_PAGE_PRESSURE, centi, pa, title, value);
    CHECK_STR(title, "PRESSURE");
    CHECK_STR(value, "1006.53 hPa");
}

static sim_bmp280_t sensor;
static sim_ssd1306_t display;
static uint8_t shown_before_press[8][128];

static void press(void *arg) { machine_pin_sim_drive(APP_BUTTON, (int)(intptr_t)arg); }
static void snapshot(void *arg) {
    (void)arg;
    memcpy(shown_before_press, display.frame, sizeof shown_before_press);
}
static void stop(void *loop) { asyncio_loop_stop(loop); }

/* What the display should show for a page of the datasheet's reading. */
static void expected(enum app_page page, uint8_t frame[8][128]) {
    static ssd1306_t ref;
    char title[16], value[16];
    ssd1306_clear(&ref);
    app_page_text(page, 2508, 100653, title, value);
    ssd1306_text(&ref, 0, 0, title, 1);
    ssd1306_text(&ref, 0, 3, value, 2);
    memcpy(frame, ref.frame, sizeof ref.frame);
}

static void test_display_pages_and_leds(void) {
    machine_sim_reset();
    machine_pin_sim_drive(APP_BUTTON, 1);
    CHECK_EQ(sim_bmp280_attach(&sensor, 0, 0x76), 0);
    CHECK_EQ(sim_ssd1306_attach(&display, 0, 0x3c), 0);
    asyncio_loop_t *loop = virtual_loop();
    asyncio_loop_call_later_ms(loop, 2200, snapshot, NULL);
    asyncio_loop_call_later_ms(loop, 2300, press, (void *)0);
    asyncio_loop_call_later_ms(loop, 2450, press, (void *)1);
    asyncio_loop_call_later_ms(loop, 4100, stop, loop);
    asyncio_task_t *app = asyncio_loop_create_task(loop, app_main, NULL);
    asyncio_loop_run_forever(loop);
    CHECK_EQ(asyncio_task_result(app), 0);
    asyncio_loop_close(loop);

    static uint8_t want[8][128];
    CHECK(display.on);
    CHECK_EQ(display.frames, 6); /* readings at 0, 1, 2, 3 and 4 s, and the page switch */
    expected(APP_PAGE_TEMPERATURE, want);
    CHECK(memcmp(shown_before_press, want, sizeof want) == 0);
    expected(APP_PAGE_PRESSURE, want);
    CHECK(memcmp(display.frame, want, sizeof want) == 0);
    /* the LEDs kept exact time while the bus carried ~6 KB of display data */
    CHECK_EQ(machine_pin_sim_changes(APP_LED_FAST), 9);
    for (unsigned i = 0; i < 9; i++)
        CHECK_EQ(machine_pin_sim_change_time(APP_LED_FAST, i), 500000u * i);
    CHECK_EQ(machine_pin_sim_changes(APP_LED_SLOW), 3);
    CHECK_EQ(machine_pin_sim_change_time(APP_LED_SLOW, 2), 4000000u);
}

static void test_missing_sensor(void) {
    machine_sim_reset();
    CHECK_EQ(sim_ssd1306_attach(&display, 0, 0x3c), 0);
    CHECK_EQ(run_virtual(app_main, NULL), -ENXIO);
}

int main(void) {
    RUN(test_compensation_matches_the_datasheet);
    RUN(test_display_pages_and_leds);
    RUN(test_missing_sensor);
    machine_sim_reset();
    return check_summary();
}
