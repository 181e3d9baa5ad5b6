/*
 * machine_spi's backend on the RP2040 and the RP2350 (machine_backend.h;
 * the calls and their checks are src/machine/spi.c): the PL022 controller,
 * both directions moved by DMA. A transfer of n bytes programs two channels: TX (memory, or one
 * fill byte read over and over, to the data register, paced by the controller's TX request) and RX
 * (the data register to memory, or to one dummy byte, paced by its RX request). The RX channel
 * finishes last, when the n-th byte has been clocked in: its interrupt ends the wait. The CPU does
 * nothing meanwhile. A transfer shorter than a task's suspension and wake-up (a few bytes at a high
 * rate: SPI_POLL_MAX_US) is done by the CPU itself instead, without suspending.
 *
 * Cancelled or timed out: both channels are stopped and the controller is
 * reset and set up again, which empties its FIFOs; the call returns at once.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "../../machine/machine_backend.h"
#include "irq.h"
#include "rp2_bus.h"
#include "rp2_dma.h"
#include "rp2_periph_regs.h"
#include "rp2_port.h"

#define RESULT_OK 1
/* About what suspending and waking the task costs (~1,000 cycles): shorter
 * transfers are polled. */
#define SPI_POLL_MAX_US 8u

struct spi_bus {
    rp2_bus_t bus;
    driver_deferred_t done;
    asyncio_task_t *waiter;
    volatile bool finished;
    uint32_t base;
    uint32_t cr0, cpsr;       /* the controller's set-up, for a reset */
    uint8_t tx_slot, rx_slot; /* its DMA channels (rp2_dma_channel) */
    uint8_t id;
};

static struct spi_bus buses[MACHINE_SPI_COUNT];

#define SSP(b, reg) RP2_REG((b)->base + (reg))

static void controller_setup(struct spi_bus *b) {
    SSP(b, SSPCR1) = 0;
    SSP(b, SSPCPSR) = b->cpsr;
    SSP(b, SSPCR0) = b->cr0;
    SSP(b, SSPDMACR) = SSPDMACR_TXDMAE | SSPDMACR_RXDMAE;
    SSP(b, SSPCR1) = SSPCR1_SSE;
}

static void rx_finished(unsigned ch) {
    struct spi_bus *b = &buses[buses[0].rx_slot == ch + 1u ? 0 : 1];
    b->finished = true;
    driver_deferred_signal(&b->done);
}

static void transfer_done(driver_deferred_t *d) {
    struct spi_bus *b = (struct spi_bus *)(void *)((char *)d - offsetof(struct spi_bus, done));
    if (!b->finished || !b->waiter) return;
    asyncio_task_t *t = b->waiter;
    b->waiter = NULL;
    driver_wake(t, RESULT_OK);
}

int machine_spi_backend_init(machine_spi_t *spi, uint32_t prescale, uint32_t scr) {
    unsigned id = spi->id;
    struct spi_bus *b = &buses[id];
    int rx_ch = rp2_dma_channel(&b->rx_slot);
    if (rx_ch < 0 || rp2_dma_channel(&b->tx_slot) < 0) return -EBUSY;
    b->base = RP2_SPI_BASE(id);
    b->id = (uint8_t)id;
    b->done.fn = transfer_done;
    b->cpsr = prescale;
    b->cr0 = SSPCR0_DSS_8 | (scr << 8) | (spi->mode & 2u ? SSPCR0_SPO : 0u) |
             (spi->mode & 1u ? SSPCR0_SPH : 0u);
    spi->hw = b->cpsr << 16 | b->cr0;
    rp2_periph_unreset(RP2_RESET_SPI(id));
    controller_setup(b);
    rp2_dma_on_done((unsigned)rx_ch, rx_finished);
    const unsigned pins[3] = {spi->sck, spi->mosi, spi->miso};
    for (unsigned k = 0; k < 3; k++) {
        if (pins[k] == MACHINE_SPI_NO_PIN) continue;
        RP2_CLR(RP2_PADS_GPIO(pins[k])) = RP2_PADS_OD;
        RP2_SET(RP2_PADS_GPIO(pins[k])) = RP2_PADS_IE;
        RP2_REG(RP2_IO_GPIO_CTRL(pins[k])) = RP2_FUNC_SPI;
        rp2_pad_release(pins[k]);
    }
    return 0;
}

/* Cancelled or timed out: stop the channels, reset the controller. */
static void transfer_interrupted(asyncio_task_t *t, int reason) {
    struct spi_bus *b = driver_wait_data(t);
    b->waiter = NULL;
    rp2_dma_abort(b->tx_slot - 1u);
    rp2_dma_abort(b->rx_slot - 1u);
    rp2_periph_reset(RP2_RESET_SPI(b->id));
    rp2_periph_unreset(RP2_RESET_SPI(b->id));
    controller_setup(b);
    b->finished = true;
    driver_wake(t, reason);
}

/* The channel's CTRL for bytes paced by `dreq`, incrementing as asked. */
static uint32_t channel_ctrl(unsigned ch, unsigned dreq, uint32_t incr) {
    return RP2_DMA_CTRL_EN | DMA_CTRL_SIZE_BYTE | incr | DMA_CTRL_CHAIN_TO(ch) |
           DMA_CTRL_TREQ(dreq);
}

static void start(unsigned id, const uint8_t *tx, const uint8_t *fill, uint8_t *rx, uint8_t *sink,
                  size_t n) {
    uint32_t dr = RP2_SPI_BASE(id) + SSPDR;
    unsigned rxc = buses[id].rx_slot - 1u, txc = buses[id].tx_slot - 1u;
    RP2_REG(DMA_READ_ADDR(rxc)) = dr;
    RP2_REG(DMA_WRITE_ADDR(rxc)) = (uint32_t)(uintptr_t)(rx ? rx : sink);
    RP2_REG(DMA_TRANS_COUNT(rxc)) = (uint32_t)n;
    RP2_REG(DMA_CTRL_TRIG(rxc)) =
        channel_ctrl(rxc, RP2_DREQ_SPI_RX(id), rx ? RP2_DMA_CTRL_INCR_WRITE : 0u);
    RP2_REG(DMA_READ_ADDR(txc)) = (uint32_t)(uintptr_t)(tx ? tx : fill);
    RP2_REG(DMA_WRITE_ADDR(txc)) = dr;
    RP2_REG(DMA_TRANS_COUNT(txc)) = (uint32_t)n;
    RP2_REG(DMA_CTRL_TRIG(txc)) =
        channel_ctrl(txc, RP2_DREQ_SPI_TX(id), tx ? RP2_DMA_CTRL_INCR_READ : 0u);
}

/* The CPU moves the bytes, both FIFOs kept in step (never more than the
 * RX FIFO holds in flight). */
static void transfer_polled(struct spi_bus *b, const uint8_t *tx, uint8_t fill, uint8_t *rx,
                            size_t n) {
    size_t sent = 0, received = 0;
    while (received < n) {
        uint32_t status = SSP(b, SSPSR);
        if (sent < n && (status & SSPSR_TNF) && sent - received < SSP_FIFO_DEPTH) {
            SSP(b, SSPDR) = tx ? tx[sent] : fill;
            sent++;
        }
        if (status & SSPSR_RNE) {
            uint8_t byte = (uint8_t)SSP(b, SSPDR);
            if (rx) rx[received] = byte;
            received++;
        }
    }
}

/* tx NULL: send fill; rx NULL: discard what comes back. */
int machine_spi_backend_transfer(const machine_spi_t *spi, const uint8_t *tx, uint8_t fill,
                                 uint8_t *rx, size_t n) {
    struct spi_bus *b = &buses[spi->id];
    asyncio_task_t *self;
    int err = rp2_bus_acquire_for_transfer(&b->bus, &b->done, &self);
    if (err) return err;
    if (b->cr0 != (spi->hw & 0xffffu) || b->cpsr != spi->hw >> 16) { /* another handle's set-up */
        b->cr0 = spi->hw & 0xffffu;
        b->cpsr = spi->hw >> 16;
        controller_setup(b);
    }
    if (n <= 64u && n * 8000000u <= SPI_POLL_MAX_US * spi->baudrate) { /* 32 bits suffice */
        transfer_polled(b, tx, fill, rx, n);
        rp2_bus_release(&b->bus);
        return (int)n;
    }
    static uint8_t fill_byte, sink_byte; /* DMA reads and writes them in place */
    fill_byte = fill;
    b->finished = false;
    b->waiter = self;
    start(spi->id, tx, &fill_byte, rx, &sink_byte, n);
    int r = driver_wait(self, NULL, DRIVER_NO_DEADLINE, transfer_interrupted, b);
    rp2_bus_release(&b->bus);
    return r == RESULT_OK ? (int)n : r;
}
