/*
 * The two LEDs of the blink example (GPIO 19 every 0.5 s, GPIO 20 every
 * 2 s) while one task streams 1 KiB SPI writes back to back (SPI1, 1 MHz)
 * and another
 * polls a sensor over I2C (400 kHz) without a pause (check_periph.mjs blink): the bus
 * waits suspend their tasks, so the LEDs keep their periods.
 */
#include "asyncio.h"
#include "machine.h"

static machine_pin_t green, blue, cs;
static machine_spi_t spi;
static machine_i2c_t i2c;
static uint8_t frame[1024];

static int blink(void *arg) {
    machine_pin_t *led = arg;
    uint32_t ms = led == &green ? 2000 : 500;
    for (;;) {
        machine_pin_toggle(led);
        if (asyncio_sleep_ms(ms) < 0) return 0;
    }
}

static int stream_spi(void *arg) {
    (void)arg;
    machine_pin_off(&cs);
    for (;;)
        if (machine_spi_write(&spi, frame, sizeof frame) < 0) return 1;
}

static int poll_i2c(void *arg) {
    (void)arg;
    uint8_t block[64];
    for (;;)
        if (machine_i2c_readfrom_mem(&i2c, 0x76, 0x80, 8, block, sizeof block) < 0) return 1;
}

int main(void) {
    machine_pin_init(&green, 20, MACHINE_PIN_OUT);
    machine_pin_init(&blue, 19, MACHINE_PIN_OUT);
    machine_pin_init(&cs, 13, MACHINE_PIN_OUT);
    machine_spi_init(&spi, 1, 1000000, 0, 10, 11, MACHINE_SPI_NO_PIN);
    machine_i2c_init(&i2c, 0, 5, 4, 400000);
    for (unsigned i = 0; i < sizeof frame; i++) frame[i] = (uint8_t)i;
    asyncio_loop_t *loop = asyncio_get_event_loop();
    asyncio_task_detach(asyncio_loop_create_task(loop, blink, &green));
    asyncio_task_detach(asyncio_loop_create_task(loop, blink, &blue));
    asyncio_task_detach(asyncio_loop_create_task(loop, stream_spi, NULL));
    asyncio_task_detach(asyncio_loop_create_task(loop, poll_i2c, NULL));
    asyncio_loop_run_forever(loop);
    return 0;
}
