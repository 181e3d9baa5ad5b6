/*
 * SPI controller, as MicroPython's machine.SPI, awaitable.
 *
 * Every transfer suspends the calling task until the last bit has been
 * clocked: on the RP2040 DMA moves the bytes of longer transfers (the
 * controller's interrupt the short ones) and the CPU sleeps meanwhile; on the
 * host the bytes reach a simulated device (machine_sim.h) and the transfer
 * takes its bus time in the loop's clock.
 *
 * Chip select is the caller's: an ordinary output pin (machine.h), driven
 * low before the transfers of one transaction and high after them.
 *
 * A bus (SPI0 or SPI1) is shared: the transfers of different tasks are
 * served one at a time, in the order they asked, never interleaved (a lock
 * inside the driver). Hold the bus over several transfers by sharing an
 * asyncio_lock_t of your own between the tasks that use one device.
 *
 * Errors: -EINVAL (bad id, pins, mode, baud rate, NULL buffer), -EPERM
 * outside a task, -ECANCELED / -ETIMEDOUT (the transfer is stopped, the
 * controller's FIFOs are emptied; the bytes already clocked are gone and the
 * next transfer works).
 */
#ifndef MACHINE_SPI_H
#define MACHINE_SPI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MACHINE_SPI_COUNT  2u    /* SPI0, SPI1 */
#define MACHINE_SPI_NO_PIN 0xffu /* for a MOSI or MISO that is not wired */

/* A handle on one bus. Caller storage; fields private. */
typedef struct machine_spi {
    uint8_t id;              /* private */
    uint8_t mode;            /* private: CPOL << 1 | CPHA */
    uint8_t sck, mosi, miso; /* private */
    uint32_t baudrate;       /* private: what the divider reached */
    uint32_t hw;             /* private: the settings as the port encodes them */
} machine_spi_t;

/* Configures bus `id` (0 or 1) as controller, 8-bit frames, MSB first, in
 * SPI mode `mode` (0..3: bit 1 clock polarity, bit 0 phase) at the highest
 * rate the divider reaches that is not above `baudrate` Hz. Pins as on the
 * RP2040: SPI0 on GPIO 0-7 and 16-23, SPI1 on 8-15 and 24-29; within each
 * group of four, gpio % 4 == 0 is MISO (RX), 2 SCK, 3 MOSI (TX). mosi or
 * miso may be MACHINE_SPI_NO_PIN. Does not suspend. Returns 0 or -EINVAL
 * (a rate below what the divider reaches, a pin of another role or bus), or
 * -EBUSY when the bus's first init finds no two free DMA channels. */
int machine_spi_init(machine_spi_t *spi, unsigned id, uint32_t baudrate, unsigned mode,
                     unsigned sck, unsigned mosi, unsigned miso);

/* The clock rate the bus really runs at, Hz. */
uint32_t machine_spi_baudrate(const machine_spi_t *spi);

/* Sends n bytes, discarding what comes back. Suspends. Returns n or a
 * negative errno. n == 0 returns 0 at once. */
int machine_spi_write(machine_spi_t *spi, const void *buf, size_t n);

/* Reads n bytes, sending `write_byte` for each (MicroPython's
 * read(nbytes, write)). Suspends. Returns n or a negative errno. */
int machine_spi_read(machine_spi_t *spi, void *buf, size_t n, uint8_t write_byte);

/* Sends tx[0..n) and stores what comes back in rx[0..n) (rx may be tx).
 * Suspends. Returns n or a negative errno. */
int machine_spi_write_readinto(machine_spi_t *spi, const void *tx, void *rx, size_t n);

#ifdef __cplusplus
}
#endif
#endif
