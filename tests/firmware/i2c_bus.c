/*
 * I2C on the RP2040, against device models the check attaches to I2C0 in
 * the emulator (check.mjs i2c): a BMP280-like sensor at 0x76, an
 * SSD1306-like display at 0x3c, a device at 0x51 that refuses the third data
 * byte, a device at 0x70 that holds the bus until it is clocked free, a
 * transfer to 0x52 that loses arbitration to another master, and nothing at
 * 0x50. Each step prints one line; the check compares them, and
 * what the devices saw on the bus, with what should have happened.
 */
#include <stdio.h>
#include <string.h>

#include "asyncio.h"
#include "machine.h"

#define SENSOR  0x76
#define DISPLAY 0x3c

static machine_i2c_t bus;

/* A result as the check expects it: the errno's name, else the number. */
static const char *res(int r) {
    static char text[4][12];
    static unsigned next;
    switch (r) {
    case -EINVAL:
        return "EINVAL";
    case -EIO:
        return "EIO";
    case -ENXIO:
        return "ENXIO";
    case -EPERM:
        return "EPERM";
    case -ETIMEDOUT:
        return "ETIMEDOUT";
    case -ECANCELED:
        return "ECANCELED";
    }
    char *t = text[next++ % 4];
    snprintf(t, sizeof text[0], "%d", r);
    return t;
}

static void print_bytes(const char *what, const uint8_t *b, int n) {
    printf("%s", what);
    for (int i = 0; i < n; i++) printf(" %02x", b[i]);
    printf("\n");
}

static int read_sensor(void) {
    uint8_t id = 0, m[6];
    int r = machine_i2c_readfrom_mem(&bus, SENSOR, 0xd0, 8, &id, 1);
    printf("chip id %d %02x\n", r, id);
    r = machine_i2c_readfrom_mem(&bus, SENSOR, 0xf7, 8, m, 6);
    print_bytes(r == 6 ? "measurement" : "measurement failed", m, 6);
    return 0;
}

static int draw(void) {
    static const uint8_t init[3] = {0x00, 0xae, 0xaf}; /* commands: display off, on */
    uint8_t data[17] = {0x40};                         /* data: 16 pixels columns */
    for (int i = 1; i < 17; i++) data[i] = (uint8_t)(i * 15);
    printf("display %d %d\n", machine_i2c_writeto(&bus, DISPLAY, init, 3),
           machine_i2c_writeto(&bus, DISPLAY, data, sizeof data));
    return 0;
}

static int errors(void) {
    uint8_t b[4] = {1, 2, 3, 4};
    printf("nobody %s %s\n", res(machine_i2c_writeto(&bus, 0x50, b, 2)),
           res(machine_i2c_readfrom(&bus, 0x50, b, 1)));
    printf("data nak %s\n", res(machine_i2c_writeto(&bus, 0x51, b, 4)));
    printf("bad %s %s\n", res(machine_i2c_writeto(&bus, 0x80, b, 1)),
           res(machine_i2c_readfrom_mem(&bus, SENSOR, 0, 12, b, 1)));
    uint8_t found[8];
    int n = machine_i2c_scan(&bus, found, 8);
    printf("scan %d", n);
    for (int i = 0; i < n && i < 8; i++) printf(" %02x", found[i]);
    printf("\n");
    return 0;
}

/* A 64-byte read (1.5 ms at 400 kHz) under a 0.5 ms timeout scope, then a
 * read that must work. */
static int timeout_mid_transfer(void) {
    uint8_t block[64], id = 0;
    asyncio_timeout_t scope;
    asyncio_timeout_enter_at_us(&scope, asyncio_ticks_us() + 500);
    int r = machine_i2c_readfrom_mem(&bus, SENSOR, 0x80, 8, block, sizeof block);
    asyncio_timeout_exit(&scope);
    int again = machine_i2c_readfrom_mem(&bus, SENSOR, 0xd0, 8, &id, 1);
    printf("timeout %s then %d %02x\n", res(r), again, id);
    return 0;
}

static int long_read(void *arg) {
    (void)arg;
    uint8_t block[64];
    return machine_i2c_readfrom(&bus, SENSOR, block, sizeof block);
}

static int cancel_mid_transfer(void) {
    asyncio_task_t *t = asyncio_create_task(long_read, NULL);
    asyncio_sleep_ms(1); /* 64 bytes take 1.5 ms */
    asyncio_task_cancel(t);
    int r = asyncio_await(t);
    uint8_t id = 0;
    int again = machine_i2c_readfrom_mem(&bus, SENSOR, 0xd0, 8, &id, 1);
    printf("cancel %s then %d %02x\n", res(r), again, id);
    return 0;
}

/* Two tasks draw 8-byte frames on the display: the check sees each frame
 * whole, the tasks' frames alternating. */
static int frames(void *arg) {
    uint8_t tag = (uint8_t)(uintptr_t)arg, frame[8] = {0x40};
    memset(frame + 1, tag, 7);
    for (int i = 0; i < 3; i++)
        if (machine_i2c_writeto(&bus, DISPLAY, frame, sizeof frame) != 8) return -1;
    return 0;
}

static int two_tasks(void) {
    asyncio_task_t *a = asyncio_create_task(frames, (void *)0xaa);
    asyncio_task_t *b = asyncio_create_task(frames, (void *)0xbb);
    int ra = asyncio_await(a), rb = asyncio_await(b);
    printf("two tasks %d %d\n", ra, rb);
    return 0;
}

/* Another master wins the bus during the first data byte to 0x52. */
static int arbitration(void) {
    uint8_t b[2] = {1, 2}, id = 0;
    uint64_t t0 = asyncio_ticks_us();
    int r = machine_i2c_writeto(&bus, 0x52, b, 2);
    unsigned took = (unsigned)(asyncio_ticks_us() - t0);
    int again = machine_i2c_readfrom_mem(&bus, SENSOR, 0xd0, 8, &id, 1);
    printf("arbitration %s then %d %02x\n", res(r), again, id);
    printf("arbitration took %u us\n", took);
    return 0;
}

static int stuck_bus(void) {
    uint8_t b[2], id = 0;
    machine_i2c_set_timeout_us(&bus, 2000);
    int r = machine_i2c_readfrom_mem(&bus, 0x70, 0x00, 8, b, 2);
    int again = machine_i2c_readfrom_mem(&bus, SENSOR, 0xd0, 8, &id, 1);
    printf("stuck %s then %d %02x\n", res(r), again, id);
    return 0;
}

/* The other controller, at 100 kHz: a 6-byte register read is 84 bit
 * times, 840 us. */
static int second_bus(void) {
    machine_i2c_t bus1;
    uint8_t m[6] = {0};
    int r = machine_i2c_init(&bus1, 1, 7, 6, 100000);
    uint64_t t0 = asyncio_ticks_us();
    int n = machine_i2c_readfrom_mem(&bus1, SENSOR, 0xf7, 8, m, 6);
    unsigned took = (unsigned)(asyncio_ticks_us() - t0);
    printf("i2c1 %d %d %02x %02x in %u us\n", r, n, m[0], m[5], took);
    return 0;
}

static int run_all(void *arg) {
    (void)arg;
    second_bus();
    read_sensor();
    draw();
    errors();
    timeout_mid_transfer();
    cancel_mid_transfer();
    two_tasks();
    arbitration();
    stuck_bus();
    return 0;
}

int main(void) {
    printf("init %s %d\n", res(machine_i2c_init(&bus, 1, 5, 4, 400000)),
           machine_i2c_init(&bus, 0, 5, 4, 400000));
    uint8_t b = 0;
    printf("outside a task %s\n", res(machine_i2c_readfrom(&bus, SENSOR, &b, 1)));
    return asyncio_run(run_all, NULL);
}
