/*
 * The peripheral drivers in the emulator (bench_periph.mjs): a 1 KiB SPI
 * write and a 64-byte I2C read at 400 kHz, each done by the driver (the task
 * suspends, the CPU sleeps) and by a blocking loop on the same registers.
 * GPIO 10 is high for the length of each; the runner reads the CPU's cycle
 * counter at its edges (it only counts while the CPU is awake).
 */
#include <stdio.h>

#include "../../src/drivers/rp2/rp2_periph_regs.h"
#include "asyncio.h"
#include "machine.h"

#define SPI_BYTES 1024u
#define I2C_BYTES 64u
#define SENSOR    0x76u

static machine_pin_t marker;
static machine_spi_t spi;
static machine_i2c_t i2c;
static uint8_t buf[SPI_BYTES];

/* The same transfer, the CPU polling the controller's FIFOs. */
static void spi_blocking(unsigned id, const uint8_t *tx, size_t n) {
    uint32_t base = RP2_SPI_BASE(id);
    size_t sent = 0, received = 0;
    while (received < n) {
        uint32_t status = RP2_REG(base + SSPSR);
        if (sent < n && (status & SSPSR_TNF) && sent - received < SSP_FIFO_DEPTH)
            RP2_REG(base + SSPDR) = tx[sent++];
        if (status & SSPSR_RNE) {
            (void)RP2_REG(base + SSPDR);
            received++;
        }
    }
}

static void i2c_blocking(unsigned id, uint8_t addr, uint8_t *rx, size_t n) {
    uint32_t base = RP2_I2C_BASE(id);
    RP2_REG(base + IC_ENABLE) = 0;
    RP2_REG(base + IC_TAR) = addr;
    RP2_REG(base + IC_ENABLE) = IC_ENABLE_ENABLE;
    size_t sent = 0, received = 0;
    while (received < n) {
        if (sent < n && RP2_REG(base + IC_TXFLR) < IC_FIFO_DEPTH &&
            sent - received < IC_FIFO_DEPTH) {
            RP2_REG(base + IC_DATA_CMD) =
                IC_DATA_CMD_READ | (sent + 1 == n ? IC_DATA_CMD_STOP : 0u);
            sent++;
        }
        if (RP2_REG(base + IC_RXFLR)) rx[received++] = (uint8_t)RP2_REG(base + IC_DATA_CMD);
    }
}

static int bench(void *arg) {
    (void)arg;
    int r[2];
    asyncio_sleep_ms(10);
    machine_pin_on(&marker);
    r[0] = machine_spi_write(&spi, buf, SPI_BYTES);
    machine_pin_off(&marker);
    asyncio_sleep_ms(10);
    machine_pin_on(&marker);
    spi_blocking(1, buf, SPI_BYTES);
    machine_pin_off(&marker);
    asyncio_sleep_ms(10);
    machine_pin_on(&marker);
    r[1] = machine_i2c_readfrom(&i2c, SENSOR, buf, I2C_BYTES);
    machine_pin_off(&marker);
    asyncio_sleep_ms(10);
    machine_pin_on(&marker);
    i2c_blocking(0, SENSOR, buf, I2C_BYTES);
    machine_pin_off(&marker);
    printf("results %d %d\n", r[0], r[1]);
    return r[0] == (int)SPI_BYTES && r[1] == (int)I2C_BYTES ? 0 : 1;
}

int main(void) {
    machine_pin_init(&marker, 10, MACHINE_PIN_OUT);
    machine_spi_init(&spi, 1, 10000000, 0, 14, 15, MACHINE_SPI_NO_PIN);
    machine_i2c_init(&i2c, 0, 5, 4, 400000);
    return asyncio_run(bench, NULL);
}
