/*
 * SPI on the RP2040, against a device model the check attaches to SPI0 in
 * the emulator (check_periph.mjs spi): it records every byte on MOSI with
 * the chip-select level and the SPI mode, and answers each byte with its
 * complement. Each step prints one line.
 */
#include <stdio.h>
#include <string.h>

#include "asyncio.h"
#include "machine.h"

static machine_spi_t spi;
static machine_pin_t cs;
static uint8_t block[4096];

static int exchange(void) {
    uint8_t tx[4] = {0x9f, 0x01, 0x02, 0x03}, rx[4] = {0}, rd[3] = {0};
    machine_pin_off(&cs);
    int r1 = machine_spi_write_readinto(&spi, tx, rx, 4);
    int r2 = machine_spi_read(&spi, rd, 3, 0x5a);
    machine_pin_on(&cs);
    printf("exchange %d %02x %02x %02x %02x read %d %02x %02x %02x\n", r1, rx[0], rx[1], rx[2],
           rx[3], r2, rd[0], rd[1], rd[2]);
    return 0;
}

static int long_write(void) {
    for (unsigned i = 0; i < 1024; i++) block[i] = (uint8_t)(i * 7);
    machine_pin_off(&cs);
    uint64_t t0 = asyncio_ticks_us();
    int r = machine_spi_write(&spi, block, 1024);
    unsigned took = (unsigned)(asyncio_ticks_us() - t0);
    machine_pin_on(&cs);
    printf("write %d in %u us\n", r, took);
    return 0;
}

static int big_write(void *arg) {
    (void)arg;
    return machine_spi_write(&spi, block, sizeof block);
}

static int cancel_mid_transfer(void) {
    memset(block, 0x11, sizeof block);
    machine_pin_off(&cs);
    asyncio_task_t *t = asyncio_create_task(big_write, NULL);
    asyncio_sleep_ms(5); /* 4096 bytes take 33 ms at 1 MHz */
    asyncio_task_cancel(t);
    int r = asyncio_await(t);
    machine_pin_on(&cs);
    uint8_t after[2] = {0xc0, 0xde};
    machine_pin_off(&cs);
    int again = machine_spi_write(&spi, after, 2);
    machine_pin_on(&cs);
    printf("cancel %s then %d\n", r == -ECANCELED ? "ECANCELED" : "?", again);
    return 0;
}

static int frames(void *arg) {
    uint8_t frame[8];
    memset(frame, (int)(uintptr_t)arg, sizeof frame);
    for (int i = 0; i < 3; i++)
        if (machine_spi_write(&spi, frame, sizeof frame) != 8) return -1;
    return 0;
}

static int two_tasks(void) {
    machine_pin_off(&cs);
    asyncio_task_t *a = asyncio_create_task(frames, (void *)0xaa);
    asyncio_task_t *b = asyncio_create_task(frames, (void *)0xbb);
    int ra = asyncio_await(a), rb = asyncio_await(b);
    machine_pin_on(&cs);
    printf("two tasks %d %d\n", ra, rb);
    return 0;
}

/* Another handle on the bus, in mode 3 at 8.9 MHz: two bytes take 1.8 us,
 * less than a suspension, so the CPU moves them itself. */
static int mode3(void) {
    machine_spi_t fast;
    int r = machine_spi_init(&fast, 0, 10000000, 3, 18, 19, 16);
    uint8_t tx[2] = {0x3c, 0x5a}, rx[2] = {0};
    machine_pin_off(&cs);
    int w = machine_spi_write_readinto(&fast, tx, rx, 2);
    machine_pin_on(&cs);
    printf("mode 3 %d %u %d %02x %02x\n", r, (unsigned)machine_spi_baudrate(&fast), w, rx[0],
           rx[1]);
    return 0;
}

static int run_all(void *arg) {
    (void)arg;
    exchange();
    long_write();
    cancel_mid_transfer();
    two_tasks();
    mode3();
    return 0;
}

int main(void) {
    int bad = machine_spi_init(&spi, 1, 1000000, 0, 18, 19, 16); /* SPI0's pins */
    int ok = machine_spi_init(&spi, 0, 1000000, 0, 18, 19, 16);
    printf("init %d %d %u\n", bad, ok, (unsigned)machine_spi_baudrate(&spi));
    machine_pin_init(&cs, 17, MACHINE_PIN_OUT);
    machine_pin_on(&cs);
    return asyncio_run(run_all, NULL);
}
