/* I2C on the host: simulated devices, the bytes and conditions they see on
 * the bus, errors, bus time in virtual time, cancellation, timeouts and two
 * tasks sharing a bus. */
#include <string.h>

#include "asyncio.h"
#include "check.h"
#include "machine.h"
#include "machine_sim.h"

#define SDA    4
#define SCL    5
#define SENSOR 0x76

/* A BMP280-like sensor: chip id 0x58 at 0xD0, measurement registers from 0xF7. */
static uint8_t sensor_mem[256];
static machine_i2c_sim_regs_t sensor = {
    .mem = sensor_mem, .size = sizeof sensor_mem, .addr_bytes = 1};

/* What a device at 0x3c sees, as text: "S W" (START, write), "Sr R"
 * (repeated START, read), "w:XX" written bytes, "r" read bytes, "P" STOP. */
static char seen[8192];
static unsigned nak_after = 100000; /* written bytes acknowledged before a NAK */
static unsigned written;

static void note(const char *s) { strncat(seen, s, sizeof seen - strlen(seen) - 1); }
static bool spy_start(void *ctx, bool read) {
    (void)ctx;
    note(read ? "S R " : "S W ");
    if (!read) written = 0;
    return true;
}
static bool spy_write(void *ctx, uint8_t b) {
    (void)ctx;
    char t[8];
    snprintf(t, sizeof t, "w:%02x ", b);
    note(t);
    return ++written <= nak_after;
}
static uint8_t spy_read(void *ctx) {
    (void)ctx;
    note("r ");
    return 0xa5;
}
static void spy_stop(void *ctx) {
    (void)ctx;
    note("P ");
}
static const machine_i2c_sim_device_t spy = {spy_start, spy_write, spy_read, spy_stop, NULL};

static machine_i2c_t bus;

static void setup(void) {
    machine_sim_reset();
    memset(sensor_mem, 0, sizeof sensor_mem);
    sensor_mem[0xd0] = 0x58;
    for (unsigned i = 0; i < 6; i++) sensor_mem[0xf7 + i] = (uint8_t)(0x10 + i);
    seen[0] = 0;
    nak_after = 100000;
    CHECK_EQ(machine_i2c_sim_attach_regs(0, SENSOR, &sensor), 0);
    CHECK_EQ(machine_i2c_sim_attach(0, 0x3c, &spy), 0);
    CHECK_EQ(machine_i2c_init(&bus, 0, SCL, SDA, 400000), 0);
}

static void test_init_checks_pins_and_frequency(void) {
    machine_i2c_t i2c;
    CHECK_EQ(machine_i2c_init(&i2c, 0, 5, 4, 100000), 0);
    CHECK_EQ(machine_i2c_init(&i2c, 1, 7, 6, 1000000), 0);
    CHECK_EQ(machine_i2c_init(&i2c, 1, 5, 4, 100000), -EINVAL); /* GPIO 4/5 are I2C0's */
    CHECK_EQ(machine_i2c_init(&i2c, 0, 4, 5, 100000), -EINVAL); /* SDA and SCL swapped */
    CHECK_EQ(machine_i2c_init(&i2c, 2, 5, 4, 100000), -EINVAL);
    CHECK_EQ(machine_i2c_init(&i2c, 0, 5, 4, 2000000), -EINVAL);
    CHECK_EQ(machine_i2c_init(NULL, 0, 5, 4, 100000), -EINVAL);
}

static int read_chip_id(void *arg) {
    uint8_t *out = arg;
    int r = machine_i2c_readfrom_mem(&bus, SENSOR, 0xd0, 8, out, 1);
    if (r != 1) return r;
    return machine_i2c_readfrom_mem(&bus, SENSOR, 0xf7, 8, out + 1, 6);
}

static void test_register_map_reads(void) {
    setup();
    uint8_t got[7] = {0};
    CHECK_EQ(run_virtual(read_chip_id, got), 6);
    CHECK_EQ(got[0], 0x58);
    for (unsigned i = 0; i < 6; i++) CHECK_EQ(got[1 + i], 0x10 + i);
}

static int spy_traffic(void *arg) {
    (void)arg;
    uint8_t cmd[3] = {0x00, 0xae, 0xaf}, r[2];
    int results = 0;
    results |= machine_i2c_writeto(&bus, 0x3c, cmd, 3) != 3;
    results |= machine_i2c_readfrom(&bus, 0x3c, r, 2) != 2;
    results |= machine_i2c_writeto_then_readfrom(&bus, 0x3c, cmd + 1, 1, r, 1) != 1;
    results |= machine_i2c_writeto_mem(&bus, 0x3c, 0x1234, 16, cmd + 2, 1) != 1;
    results |= machine_i2c_readfrom_mem(&bus, 0x3c, 0x42, 8, r, 2) != 2;
    results |= r[0] != 0xa5 || r[1] != 0xa5;
    return results ? -EPROTO : 0;
}

static void test_exact_bus_traffic_and_repeated_start(void) {
    setup();
    CHECK_EQ(run_virtual(spy_traffic, NULL), 0);
    CHECK_STR(seen, "S W w:00 w:ae w:af P "
                    "S R r r P "
                    "S W w:ae S R r P "
                    "S W w:12 w:34 w:af P "
                    "S W w:42 S R r r P ");
}

static int error_cases(void *arg) {
    int *out = arg;
    uint8_t b[4] = {1, 2, 3, 4};
    out[0] = machine_i2c_writeto(&bus, 0x50, b, 4); /* nobody at 0x50 */
    out[1] = machine_i2c_readfrom(&bus, 0x50, b, 1);
    nak_after = 2;
    out[2] = machine_i2c_writeto(&bus, 0x3c, b, 4); /* third byte refused */
    out[3] = machine_i2c_writeto(&bus, 0x80, b, 1); /* not a 7-bit address */
    out[4] = machine_i2c_readfrom(&bus, SENSOR, b, 0);
    out[5] = machine_i2c_readfrom_mem(&bus, SENSOR, 0xd0, 12, b, 1);
    out[6] = machine_i2c_readfrom(&bus, SENSOR, NULL, 1);
    return 0;
}

static void test_errors(void) {
    setup();
    int out[7];
    CHECK_EQ(run_virtual(error_cases, out), 0);
    CHECK_EQ(out[0], -ENXIO);
    CHECK_EQ(out[1], -ENXIO);
    CHECK_EQ(out[2], -EIO);
    CHECK_STR(seen, "S W w:01 w:02 w:03 P "); /* a STOP right after the refused byte */
    for (int i = 3; i < 7; i++) CHECK_EQ(out[i], -EINVAL);
    uint8_t b;
    CHECK_EQ(machine_i2c_readfrom(&bus, SENSOR, &b, 1), -EPERM); /* outside a task */
}

static int scan_bus(void *arg) {
    uint8_t *found = arg;
    return machine_i2c_scan(&bus, found, 4);
}

static void test_scan(void) {
    setup();
    static machine_i2c_sim_regs_t other = {.mem = sensor_mem, .size = 16, .addr_bytes = 1};
    CHECK_EQ(machine_i2c_sim_attach_regs(0, 0x08, &other), 0);
    CHECK_EQ(machine_i2c_sim_attach_regs(0, 0x08, &other), -EADDRINUSE);
    CHECK_EQ(machine_i2c_sim_attach(1, 0x50, &spy), 0); /* on the other bus: not seen */
    uint8_t found[4] = {0};
    CHECK_EQ(run_virtual(scan_bus, found), 3);
    CHECK_EQ(found[0], 0x08);
    CHECK_EQ(found[1], 0x3c);
    CHECK_EQ(found[2], SENSOR);
}

static int timed_read(void *arg) {
    uint64_t *took = arg;
    uint8_t buf[64];
    uint64_t t0 = asyncio_ticks_us();
    int r = machine_i2c_readfrom_mem(&bus, SENSOR, 0x00, 8, buf, sizeof buf);
    *took = asyncio_ticks_us() - t0;
    return r;
}

/* START, address, register, repeated START, address, 64 bytes, STOP:
 * 1 + 9 + 9 + 1 + 9 + 64 * 9 + 1 = 606 bit times, 1515 us at 400 kHz. */
static void test_transfer_takes_its_bus_time(void) {
    setup();
    uint64_t took = 0;
    CHECK_EQ(run_virtual(timed_read, &took), 64);
    CHECK_EQ(took, 1515);
}

static int long_write(void *arg) {
    (void)arg;
    static uint8_t block[1024];
    return machine_i2c_writeto(&bus, 0x3c, block, sizeof block);
}

static int cancel_then_use(void *arg) {
    int *out = arg;
    asyncio_task_t *w = asyncio_create_task(long_write, NULL);
    asyncio_sleep_ms(5); /* the write (about 23 ms at 400 kHz) is under way */
    asyncio_task_cancel(w);
    out[0] = asyncio_await(w);
    uint8_t id = 0;
    out[1] = machine_i2c_readfrom_mem(&bus, SENSOR, 0xd0, 8, &id, 1);
    out[2] = id;
    return 0;
}

static void test_cancelled_transfer_leaves_bus_usable(void) {
    setup();
    int out[3];
    CHECK_EQ(run_virtual(cancel_then_use, out), 0);
    CHECK_EQ(out[0], -ECANCELED);
    CHECK_EQ(out[1], 1);
    CHECK_EQ(out[2], 0x58);
    size_t len = strlen(seen);
    CHECK(len > 2 && strcmp(seen + len - 2, "P ") == 0); /* the device saw the transfer end */
}

static int read_under_timeout(void *arg) {
    int *out = arg;
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, 2);
    out[0] = long_write(NULL);
    out[1] = asyncio_timeout_exit(&scope);
    uint8_t id = 0;
    out[2] = machine_i2c_readfrom_mem(&bus, SENSOR, 0xd0, 8, &id, 1);
    return id;
}

static void test_timeout_scope(void) {
    setup();
    int out[3];
    CHECK_EQ(run_virtual(read_under_timeout, out), 0x58);
    CHECK_EQ(out[0], -ETIMEDOUT);
    CHECK_EQ(out[1], 1);
    CHECK_EQ(out[2], 1);
}

static int held_bus(void *arg) {
    int *out = arg;
    uint8_t id = 0;
    machine_i2c_set_timeout_us(&bus, 10000);
    machine_i2c_sim_hold_bus(0, true);
    uint64_t t0 = asyncio_ticks_us();
    out[0] = machine_i2c_readfrom_mem(&bus, SENSOR, 0xd0, 8, &id, 1);
    out[1] = (int)(asyncio_ticks_us() - t0);
    machine_i2c_sim_hold_bus(0, false);
    out[2] = machine_i2c_readfrom_mem(&bus, SENSOR, 0xd0, 8, &id, 1);
    return id;
}

static void test_stuck_bus_is_recovered(void) {
    setup();
    int out[3];
    CHECK_EQ(run_virtual(held_bus, out), 0x58);
    CHECK_EQ(out[0], -EIO);
    CHECK_EQ(out[1], 10000 + 25); /* the timeout, then ten bit times of recovery */
    CHECK_EQ(machine_i2c_sim_recoveries(0), 1);
    CHECK_EQ(out[2], 1);
}

/* Two tasks write 3-byte frames to the same device: each frame reaches it
 * whole, in the order the tasks asked. */
static int writer(void *arg) {
    uint8_t tag = (uint8_t)(uintptr_t)arg;
    for (int i = 0; i < 2; i++) {
        uint8_t frame[3] = {tag, tag, tag};
        int r = machine_i2c_writeto(&bus, 0x3c, frame, 3);
        if (r != 3) return r;
    }
    return 0;
}

static int two_writers(void *arg) {
    (void)arg;
    asyncio_task_t *a = asyncio_create_task(writer, (void *)0xaa);
    asyncio_task_t *b = asyncio_create_task(writer, (void *)0xbb);
    int ra = asyncio_await(a), rb = asyncio_await(b);
    return ra || rb ? -EPROTO : 0;
}

static void test_two_tasks_share_a_bus(void) {
    setup();
    CHECK_EQ(run_virtual(two_writers, NULL), 0);
    CHECK_STR(seen, "S W w:aa w:aa w:aa P S W w:bb w:bb w:bb P "
                    "S W w:aa w:aa w:aa P S W w:bb w:bb w:bb P ");
}

/* A LED blinks every 500 ms while another task polls the sensor without a
 * pause: the LED keeps exact time (the bus waits suspend, they never spin). */
static machine_pin_t led;
static int blink(void *arg) {
    (void)arg;
    for (int i = 0; i < 6; i++) {
        machine_pin_toggle(&led);
        asyncio_sleep_ms(500);
    }
    return 0;
}

static int poll_sensor(void *arg) {
    int *reads = arg;
    uint8_t v[6];
    for (;;) {
        int r = machine_i2c_readfrom_mem(&bus, SENSOR, 0xf7, 8, v, 6);
        if (r != 6) return r;
        (*reads)++;
    }
}

static int blink_while_polling(void *arg) {
    asyncio_task_t *p = asyncio_create_task(poll_sensor, arg);
    int r = asyncio_await(asyncio_create_task(blink, NULL));
    asyncio_task_cancel(p);
    return asyncio_await(p) == -ECANCELED ? r : -EPROTO;
}

static void test_led_keeps_time_while_bus_busy(void) {
    setup();
    machine_pin_init(&led, 25, MACHINE_PIN_OUT);
    int reads = 0;
    CHECK_EQ(run_virtual(blink_while_polling, &reads), 0);
    CHECK_EQ(machine_pin_sim_changes(25), 6);
    for (unsigned i = 0; i < 6; i++) CHECK_EQ(machine_pin_sim_change_time(25, i), 500000u * i);
    /* each poll: 1 + 9 + 9 + 1 + 9 + 6 * 9 + 1 = 84 bit times = 210 us */
    CHECK(reads >= 3000000 / 210 - 1 && reads <= 3000000 / 210 + 1);
}

int main(void) {
    RUN(test_init_checks_pins_and_frequency);
    RUN(test_register_map_reads);
    RUN(test_exact_bus_traffic_and_repeated_start);
    RUN(test_errors);
    RUN(test_scan);
    RUN(test_transfer_takes_its_bus_time);
    RUN(test_cancelled_transfer_leaves_bus_usable);
    RUN(test_timeout_scope);
    RUN(test_stuck_bus_is_recovered);
    RUN(test_two_tasks_share_a_bus);
    RUN(test_led_keeps_time_while_bus_busy);
    machine_sim_reset();
    return check_summary();
}
