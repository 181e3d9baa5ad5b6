/*
 * machine_spi's backend on the host (src/machine/machine_backend.h; the
 * calls and their checks are src/machine/spi.c, with the RP2040's rates):
 * each byte goes to the bus's simulated device (machine_sim.h) and its answer
 * comes back, then the transfer takes its bus time (8 bit times a byte) in
 * the loop's clock. The bus is one lock per controller.
 */
#include <errno.h>
#include <string.h>

#include "../../../include/asyncio.h"
#include "../../../include/machine_sim.h"
#include "../../machine/machine_backend.h"
#include "sim.h"

struct sim_spi_bus {
    asyncio_lock_t lock;
    machine_spi_sim_fn device;
    void *ctx;
};

static struct sim_spi_bus buses[MACHINE_SPI_COUNT] = {{.lock = ASYNCIO_LOCK_INIT},
                                                      {.lock = ASYNCIO_LOCK_INIT}};

int machine_spi_backend_init(machine_spi_t *spi, uint32_t prescale, uint32_t scr) {
    (void)spi, (void)prescale, (void)scr; /* the simulated device takes any rate */
    return 0;
}

int machine_spi_backend_transfer(const machine_spi_t *spi, const uint8_t *tx, uint8_t fill,
                                 uint8_t *rx, size_t n) {
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
