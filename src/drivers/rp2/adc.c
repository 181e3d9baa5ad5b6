/*
 * machine_adc's backend on the RP2040 and the RP2350 (machine_backend.h;
 * the calls, their checks and the scaling are src/machine/adc.c). One
 * conversion: the ADC's FIFO is enabled with
 * a threshold of one result, its interrupt unmasked, the conversion started;
 * the task suspends until the interrupt says the result is in the FIFO.
 * Timed sampling: the ADC runs free at the divider's rate and DMA moves each
 * result from the FIFO into the caller's buffer; the DMA channel's interrupt
 * ends the wait.
 *
 * CS is only ever written whole (never through the set/clear aliases, whose
 * read-modify-write would start a conversion again where START_ONE reads
 * back as set, as in the emulator).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "../../machine/machine_backend.h"
#include "irq.h"
#include "rp2_bus.h"
#include "rp2_dma.h"
#include "rp2_periph_regs.h"
#include "rp2_pinmap.h"
#include "rp2_port.h"

#define RESULT_OK 1
#define ADC(reg)  RP2_REG(RP2_ADC_BASE + (reg))

static struct {
    rp2_bus_t bus;
    driver_deferred_t done;
    asyncio_task_t *waiter;
    volatile bool finished;
    bool ready;       /* out of reset, enabled */
    uint8_t dma_slot; /* its DMA channel (rp2_dma_channel) */
    uint32_t cs_idle; /* CS for the selected input, nothing started */
} adc_state;

static void finish_from_isr(void) {
    adc_state.finished = true;
    driver_deferred_signal(&adc_state.done);
}

/* The FIFO reached its threshold: one conversion is in. */
static void fifo_irq(void) {
    ADC(ADC_INTE) = 0;
    finish_from_isr();
}

/* The DMA channel has moved the last result. */
static void sampling_done(unsigned ch) {
    (void)ch;
    ADC(ADC_CS) = adc_state.cs_idle;
    finish_from_isr();
}

static void conversion_done(driver_deferred_t *d) {
    (void)d;
    if (!adc_state.finished || !adc_state.waiter) return;
    asyncio_task_t *t = adc_state.waiter;
    adc_state.waiter = NULL;
    driver_wake(t, RESULT_OK);
}

/* 0, or -EBUSY when no DMA channel is free. */
static int adc_power_up(void) {
    if (adc_state.ready) return 0;
    int ch = rp2_dma_channel(&adc_state.dma_slot);
    if (ch < 0) return ch;
    rp2_periph_unreset(RP2_RESET_ADC);
    adc_state.cs_idle = ADC_CS_EN;
    ADC(ADC_CS) = ADC_CS_EN;
    while (!(ADC(ADC_CS) & ADC_CS_READY)) {
    }
    adc_state.done.fn = conversion_done;
    rp2_irq_set_handler(RP2_IRQ_ADC_FIFO, fifo_irq);
    rp2_irq_enable(RP2_IRQ_ADC_FIFO);
    rp2_dma_on_done((unsigned)ch, sampling_done);
    adc_state.ready = true;
    return 0;
}

int machine_adc_backend_init(const machine_adc_t *adc) {
    int err = adc_power_up();
    if (err) return err;
    if (adc->channel < RP2_ADC_GPIO_CHANNELS) { /* an analog pin: digital input and pulls off */
        unsigned gpio = RP2_ADC_FIRST_GPIO + adc->channel;
        RP2_CLR(RP2_PADS_GPIO(gpio)) = RP2_PADS_IE | RP2_PADS_PUE | RP2_PADS_PDE;
        RP2_SET(RP2_PADS_GPIO(gpio)) = RP2_PADS_OD;
        RP2_REG(RP2_IO_GPIO_CTRL(gpio)) = RP2_FUNC_NULL;
        rp2_pad_release(gpio);
    }
    return 0;
}

/* Stops whatever runs and empties the FIFO. */
static void adc_stop(void) {
    rp2_dma_abort(adc_state.dma_slot - 1u);
    ADC(ADC_INTE) = 0;
    ADC(ADC_CS) = adc_state.cs_idle;
    while (!(ADC(ADC_CS) & ADC_CS_READY)) { /* a conversion under way lands */
    }
    while (!(ADC(ADC_FCS) & ADC_FCS_EMPTY)) (void)ADC(ADC_FIFO);
    ADC(ADC_FCS) = ADC_FCS_OVER | ADC_FCS_UNDER; /* write-clear the flags, FIFO off */
}

static void adc_interrupted(asyncio_task_t *t, int reason) {
    adc_state.waiter = NULL;
    adc_stop();
    adc_state.finished = true;
    driver_wake(t, reason);
}

/* Takes the ADC for the running task (*self), selects the input and sets
 * the FIFO up with `fcs`; the caller starts the conversions and calls
 * adc_wait(). 0, or a negative errno (the ADC not taken). */
static int adc_take(const machine_adc_t *adc, uint32_t fcs, asyncio_task_t **self) {
    int err = rp2_bus_acquire_for_transfer(&adc_state.bus, &adc_state.done, self);
    if (err) return err;
    adc_stop();
    ADC(ADC_FCS) = fcs;
    adc_state.finished = false;
    adc_state.waiter = *self;
    uint32_t sensor = adc->channel == RP2_ADC_CHANNELS - 1u ? ADC_CS_TS_EN : 0u;
    adc_state.cs_idle = ADC_CS_EN | sensor | ADC_CS_AINSEL(adc->channel);
    ADC(ADC_CS) = adc_state.cs_idle;
    return 0;
}

static int adc_wait(asyncio_task_t *self) {
    int r = driver_wait(self, NULL, DRIVER_NO_DEADLINE, adc_interrupted, NULL);
    return r == RESULT_OK ? 0 : r;
}

int machine_adc_backend_read(const machine_adc_t *adc) {
    asyncio_task_t *self;
    int err = adc_take(adc, ADC_FCS_EN | ADC_FCS_THRESH(1), &self);
    if (err) return err;
    ADC(ADC_INTE) = 1;
    ADC(ADC_CS) = adc_state.cs_idle | ADC_CS_START_ONE;
    err = adc_wait(self);
    int raw = err ? err : (int)(ADC(ADC_FIFO) & 0xfffu);
    rp2_bus_release(&adc_state.bus);
    return raw;
}

int machine_adc_backend_read_timed(const machine_adc_t *adc, uint16_t *buf, size_t n,
                                   uint32_t div256) {
    ADC(ADC_DIV) = div256;
    asyncio_task_t *self;
    int err = adc_take(adc, ADC_FCS_EN | ADC_FCS_DREQ_EN | ADC_FCS_THRESH(1), &self);
    if (err) return err;
    unsigned ch = adc_state.dma_slot - 1u;
    RP2_REG(DMA_READ_ADDR(ch)) = RP2_ADC_BASE + ADC_FIFO;
    RP2_REG(DMA_WRITE_ADDR(ch)) = (uint32_t)(uintptr_t)buf;
    RP2_REG(DMA_TRANS_COUNT(ch)) = (uint32_t)n;
    RP2_REG(DMA_CTRL_TRIG(ch)) = RP2_DMA_CTRL_EN | DMA_CTRL_SIZE_HALFWORD |
                                 RP2_DMA_CTRL_INCR_WRITE | DMA_CTRL_CHAIN_TO(ch) |
                                 DMA_CTRL_TREQ(RP2_DREQ_ADC);
    ADC(ADC_CS) = adc_state.cs_idle | ADC_CS_START_MANY;
    err = adc_wait(self);
    if (!err) adc_stop();
    rp2_bus_release(&adc_state.bus);
    return err;
}
