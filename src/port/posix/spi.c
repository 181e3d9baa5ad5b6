/*
 * machine_spi on the host: each byte goes to the bus's simulated device
 * (machine_sim.h) and its answer comes back, then the transfer takes its bus
 * time (8 bit times a byte) in the loop's clock. The bus is one lock per
 * controller. Rates are the RP2040's (the same divider arithmetic).
 */
#include <errno.h>
#include <string.h>

#include "../../../include/asyncio.h"
#include "../../../include/machine_sim.h"
#include "../../drivers/rp2/rp2_dividers.h"
#include "../../drivers/rp2/rp2_pinmap.h"
#include "sim.h"

struct sim_spi_bus {
    asyncio_lock_t lock;
    machine_spi_sim_fn device;
    void *ctx;
};

static struct sim_spi_bus buses[MACHINE_SPI_COUNT] = {{.lock = ASYNCIO_LOCK_INIT},
                                                      {.lock = ASYNCIO_LOCK_INIT}};

static bool optional_pin_ok(unsigned id, unsigned gpio, enum rp2_spi_role role) {
    return gpio == MACHINE_SPI_NO_PIN || rp2_spi_pin_ok(id, gpio, role);
}

int machine_spi_init(machine_spi_t *spi, unsigned id, uint32_t baudrate, unsigned mode,
                     unsigned sck, unsigned mosi, unsigned miso) {
    uint32_t prescale, scr;
    if (!spi || id >= MACHINE_SPI_COUNT || mode > 3u || !rp2_spi_pin_ok(id, sck, RP2_SPI_SCK) ||
        !optional_pin_ok(id, mosi, RP2_SPI_TX) || !optional_pin_ok(id, miso, RP2_SPI_RX) ||
        rp2_spi_divider(baudrate, &prescale, &scr) != 0)
        return -EINVAL;
    spi->id = (uint8_t)id;
    spi->mode = (uint8_t)mode;
    spi->sck = (uint8_t)sck;
    spi->mosi = (uint8_t)mosi;
    spi->miso = (uint8_t)miso;
    spi->baudrate = rp2_spi_rate(prescale, scr);
    return 0;
}

uint32_t machine_spi_baudrate(const machine_spi_t *spi) { return spi ? spi->baudrate : 0; }

/* tx NULL: send fill; rx NULL: discard. */
static int spi_transfer(machine_spi_t *spi, const uint8_t *tx, uint8_t fill, uint8_t *rx,
                        size_t n) {
    if (!spi || spi->id >= MACHINE_SPI_COUNT || (n && !tx && !rx)) return -EINVAL;
    if (n == 0) return 0;
    struct sim_spi_bus *bus = &buses[spi->id];
    int err = asyncio_lock_acquire(&bus->lock);
    if (err) return err;
    for (size_t i = 0; i < n; i++) {
        uint8_t out = tx ? tx[i] : fill;
        uint8_t in = bus->device ? bus->device(bus->ctx, out) : 0xffu;
        if (rx) rx[i] = in;
    }
    err = asyncio_sleep_us(sim_bits_us(8u * (uint64_t)n, spi->baudrate));
    asyncio_lock_release(&bus->lock);
    return err ? err : (int)n;
}

int machine_spi_write(machine_spi_t *spi, const void *buf, size_t n) {
    if (n && !buf) return -EINVAL;
    return spi_transfer(spi, buf, 0, NULL, n);
}

int machine_spi_read(machine_spi_t *spi, void *buf, size_t n, uint8_t write_byte) {
    if (n && !buf) return -EINVAL;
    return spi_transfer(spi, NULL, write_byte, buf, n);
}

int machine_spi_write_readinto(machine_spi_t *spi, const void *tx, void *rx, size_t n) {
    if (n && (!tx || !rx)) return -EINVAL;
    return spi_transfer(spi, tx, 0, rx, n);
}

int machine_spi_sim_attach(unsigned bus, machine_spi_sim_fn fn, void *ctx) {
    if (bus >= MACHINE_SPI_COUNT) return -EINVAL;
    buses[bus].device = fn;
    buses[bus].ctx = ctx;
    return 0;
}

void sim_spi_reset(void) {
    for (unsigned b = 0; b < MACHINE_SPI_COUNT; b++) {
        buses[b].device = NULL;
        buses[b].ctx = NULL;
    }
}
