/* SPI on the host: a simulated device sees every byte and answers, the
 * rates are the RP2040 divider's, transfers take their bus time, and
 * cancellation and two tasks on one bus behave. */
#include <string.h>

#include "asyncio.h"
#include "check.h"
#include "machine.h"
#include "machine_sim.h"

#define SCK  18
#define MOSI 19
#define MISO 16
#define CS   17

static machine_spi_t spi;
static machine_pin_t cs;

/* A display-like device: records what MOSI carried while CS was low, answers
 * each byte with its complement. */
static uint8_t stream[4096];
static size_t streamed;
static uint8_t answer(void *ctx, uint8_t mosi) {
    (void)ctx;
    if (machine_pin_value(&cs) == 0 && streamed < sizeof stream) stream[streamed++] = mosi;
    return (uint8_t)~mosi;
}

static void setup(void) {
    machine_sim_reset();
    streamed = 0;
    CHECK_EQ(machine_spi_sim_attach(0, answer, NULL), 0);
    CHECK_EQ(machine_spi_init(&spi, 0, 1000000, 0, SCK, MOSI, MISO), 0);
    machine_pin_init(&cs, CS, MACHINE_PIN_OUT);
    machine_pin_on(&cs);
}

static void test_init_rates_and_pins(void) {
    machine_spi_t s;
    CHECK_EQ(machine_spi_init(&s, 0, 1000000, 3, SCK, MOSI, MISO), 0);
    CHECK_EQ(machine_spi_baudrate(&s), 992063); /* 125 MHz / (2 * 63): the fastest not above */
    CHECK_EQ(machine_spi_init(&s, 0, 62500000, 0, SCK, MOSI, MACHINE_SPI_NO_PIN), 0);
    CHECK_EQ(machine_spi_baudrate(&s), 62500000);
    CHECK_EQ(machine_spi_init(&s, 1, 10000000, 0, 10, 11, 12), 0);
    CHECK_EQ(machine_spi_baudrate(&s), 8928571);                          /* 125 MHz / 14 */
    CHECK_EQ(machine_spi_init(&s, 0, 1000, 0, SCK, MOSI, MISO), -EINVAL); /* below 1,922 Hz */
    CHECK_EQ(machine_spi_init(&s, 0, 1000000, 4, SCK, MOSI, MISO), -EINVAL);
    CHECK_EQ(machine_spi_init(&s, 1, 1000000, 0, SCK, MOSI, MISO), -EINVAL); /* SPI0's pins */
    CHECK_EQ(machine_spi_init(&s, 0, 1000000, 0, MOSI, SCK, MISO), -EINVAL); /* roles swapped */
}

static int transaction(void *arg) {
    uint64_t *took = arg;
    uint8_t cmd[4] = {0x9f, 0x01, 0x02, 0x03}, rx[4] = {0}, rd[2] = {0};
    machine_pin_off(&cs);
    uint64_t t0 = asyncio_ticks_us();
    int r1 = machine_spi_write_readinto(&spi, cmd, rx, 4);
    int r2 = machine_spi_read(&spi, rd, 2, 0x5a);
    int r3 = machine_spi_write(&spi, cmd, 1);
    *took = asyncio_ticks_us() - t0;
    machine_pin_on(&cs);
    if (r1 != 4 || r2 != 2 || r3 != 1) return -EPROTO;
    if (rx[0] != 0x60 || rx[3] != 0xfc || rd[0] != 0xa5 || rd[1] != 0xa5) return -EPROTO;
    return 0;
}

static void test_bytes_both_ways_and_bus_time(void) {
    setup();
    uint64_t took = 0;
    CHECK_EQ(run_virtual(transaction, &took), 0);
    const uint8_t want[7] = {0x9f, 0x01, 0x02, 0x03, 0x5a, 0x5a, 0x9f};
    CHECK_EQ(streamed, 7);
    CHECK(memcmp(stream, want, 7) == 0);
    /* 4, 2 and 1 bytes at 992,063 Hz: 33 + 17 + 9 us, each rounded up */
    CHECK_EQ(took, 33 + 17 + 9);
}

static int bad_calls(void *arg) {
    (void)arg;
    uint8_t b[1];
    if (machine_spi_write(&spi, NULL, 1) != -EINVAL) return 1;
    if (machine_spi_read(&spi, NULL, 1, 0) != -EINVAL) return 2;
    if (machine_spi_write_readinto(&spi, b, NULL, 1) != -EINVAL) return 3;
    if (machine_spi_write(&spi, b, 0) != 0) return 4;
    return 0;
}

static void test_bad_calls(void) {
    setup();
    CHECK_EQ(run_virtual(bad_calls, NULL), 0);
    uint8_t b = 0;
    CHECK_EQ(machine_spi_write(&spi, &b, 1), -EPERM);
}

static uint8_t big[4096];
static int big_write(void *arg) {
    (void)arg;
    return machine_spi_write(&spi, big, sizeof big); /* 33 ms at 992 kHz */
}

static int cancel_then_write(void *arg) {
    int *out = arg;
    asyncio_task_t *t = asyncio_create_task(big_write, NULL);
    asyncio_sleep_ms(10);
    asyncio_task_cancel(t);
    out[0] = asyncio_await(t);
    uint8_t b = 0x42;
    out[1] = machine_spi_write(&spi, &b, 1);
    return 0;
}

static void test_cancel_then_next_transfer(void) {
    setup();
    int out[2];
    CHECK_EQ(run_virtual(cancel_then_write, out), 0);
    CHECK_EQ(out[0], -ECANCELED);
    CHECK_EQ(out[1], 1);
}

static int frame_writer(void *arg) {
    uint8_t tag = (uint8_t)(uintptr_t)arg;
    uint8_t frame[8];
    memset(frame, tag, sizeof frame);
    for (int i = 0; i < 3; i++)
        if (machine_spi_write(&spi, frame, sizeof frame) != 8) return -EIO;
    return 0;
}

static int two_writers(void *arg) {
    (void)arg;
    machine_pin_off(&cs);
    asyncio_task_t *a = asyncio_create_task(frame_writer, (void *)1);
    asyncio_task_t *b = asyncio_create_task(frame_writer, (void *)2);
    int r = asyncio_await(a) | asyncio_await(b);
    machine_pin_on(&cs);
    return r;
}

static void test_two_tasks_never_interleave(void) {
    setup();
    CHECK_EQ(run_virtual(two_writers, NULL), 0);
    CHECK_EQ(streamed, 48);
    for (size_t f = 0; f < 6; f++)
        for (size_t i = 0; i < 8; i++) CHECK_EQ(stream[f * 8 + i], f % 2 ? 2 : 1);
}

int main(void) {
    RUN(test_init_rates_and_pins);
    RUN(test_bytes_both_ways_and_bus_time);
    RUN(test_bad_calls);
    RUN(test_cancel_then_next_transfer);
    RUN(test_two_tasks_never_interleave);
    machine_sim_reset();
    return check_summary();
}
