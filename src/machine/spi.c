/*
 * machine_spi (machine_spi.h) for every port: pins, mode and rate checked
 * here against the RP2 pin map and the PL022's divider (the host runs at
 * the rates the chip would), then the port's backend (machine_backend.h)
 * moves the bytes.
 */
#include <errno.h>

#include "../drivers/rp2/rp2_dividers.h"
#include "../drivers/rp2/rp2_pinmap.h"
#include "machine_backend.h"

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
    machine_spi_t set = {(uint8_t)id,
                         (uint8_t)mode,
                         (uint8_t)sck,
                         (uint8_t)mosi,
                         (uint8_t)miso,
                         rp2_spi_rate(prescale, scr),
                         0};
    int err = machine_spi_backend_init(&set, prescale, scr);
    if (err) return err; /* the caller's handle untouched */
    *spi = set;
    return 0;
}

uint32_t machine_spi_baudrate(const machine_spi_t *spi) { return spi ? spi->baudrate : 0; }

/* tx NULL: send fill; rx NULL: discard what comes back. */
static int spi_transfer(machine_spi_t *spi, const uint8_t *tx, uint8_t fill, uint8_t *rx,
                        size_t n) {
    if (!spi || spi->id >= MACHINE_SPI_COUNT || (n && !tx && !rx)) return -EINVAL;
    if (n == 0) return 0;
    return machine_spi_backend_transfer(spi, tx, fill, rx, n);
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
