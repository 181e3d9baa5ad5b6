/*
 * machine_i2c's backend on the RP2040 and the RP2350 (machine_backend.h; the
 * calls and their checks are src/machine/i2c.c): the DesignWare I2C
 * controller driven by its interrupt.
 *
 * A transfer is a list of commands for the controller's 16-deep TX FIFO:
 * the register address bytes, the data bytes, then one read command per
 * byte to receive (the first with RESTART when something was written before:
 * a repeated START), the last with STOP. The task fills the FIFO, unmasks the
 * interrupts and suspends; the handler tops the FIFO up when it runs low
 * (TX_EMPTY), empties the RX FIFO (RX_FULL, its threshold set to the reads
 * in flight, so that one interrupt takes them all), notes an abort
 * (TX_ABRT: a NAK, a lost arbitration) and, at STOP_DET, the end: it then
 * signals the bus's deferred record, whose function wakes the task in loop
 * context.
 *
 * Cancelled or timed out mid-transfer: the controller is told to abort (it
 * sends STOP after the current byte and flushes its FIFOs); the task returns
 * at once, and the bus is handed on when the controller has stopped. A bus
 * that makes no progress for the transfer's time plus the handle's timeout
 * (a device holding SCL or SDA low): the controller is reset, nine clocks and
 * a STOP are sent by hand, and the call returns -EIO.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "../../machine/machine_backend.h"
#include "irq.h"
#include "rp2_bus.h"
#include "rp2_dividers.h"
#include "rp2_periph_regs.h"
#include "rp2_port.h"

#define TX_LOW_WATER 4u /* TX_EMPTY when the FIFO holds this many or fewer */
#define RESULT_OK    1  /* driver_wake's value for success (0 is the deadline) */

struct i2c_bus {
    rp2_bus_t bus;
    driver_deferred_t done;
    asyncio_task_t *waiter; /* the task in its transfer, NULL once woken */
    uint32_t base;
    /* The transfer: pn address bytes of pre, wn of wbuf, then rn reads. */
    uint8_t pre[2];
    uint32_t pn, wn, rn;
    const uint8_t *wbuf;
    uint8_t *rbuf;
    uint32_t sent, received, total;
    volatile uint32_t abort_source;
    volatile bool finished; /* STOP seen: the handler is done with it */
    bool abandoned;         /* its task has left: hand the bus on at the end */
    uint8_t scl, sda;
    uint32_t freq;
};

static struct i2c_bus buses[MACHINE_I2C_COUNT];

#define IC(b, reg) RP2_REG((b)->base + (reg))

/* ---- the interrupt side ----------------------------------------------------------- */

static uint32_t next_command(const struct i2c_bus *b) {
    uint32_t i = b->sent, written = b->pn + b->wn, cmd;
    if (i < b->pn)
        cmd = b->pre[i];
    else if (i < written)
        cmd = b->wbuf[i - b->pn];
    else
        cmd = IC_DATA_CMD_READ | (i == written && written ? IC_DATA_CMD_RESTART : 0u);
    if (i + 1u == b->total) cmd |= IC_DATA_CMD_STOP;
    return cmd;
}

/* Reads asked for and not yet received. */
static uint32_t reads_in_flight(const struct i2c_bus *b) {
    uint32_t written = b->pn + b->wn;
    uint32_t asked = b->sent > written ? b->sent - written : 0u;
    return asked - b->received;
}

/* Tops the TX FIFO up (never asking more reads than the RX FIFO holds), then
 * unmasks what the rest of the transfer needs. */
static void feed(struct i2c_bus *b) {
    uint32_t written = b->pn + b->wn;
    while (b->sent < b->total && IC(b, IC_TXFLR) < IC_FIFO_DEPTH) {
        if (b->sent >= written && reads_in_flight(b) >= IC_FIFO_DEPTH) break;
        IC(b, IC_DATA_CMD) = next_command(b);
        b->sent++;
    }
    uint32_t mask = IC_INTR_TX_ABRT | IC_INTR_STOP_DET;
    uint32_t in_flight = reads_in_flight(b);
    if (in_flight) {
        IC(b, IC_RX_TL) = in_flight - 1u;
        mask |= IC_INTR_RX_FULL;
    }
    bool more = b->sent < b->total;
    if (more && (b->sent < written || in_flight < IC_FIFO_DEPTH)) mask |= IC_INTR_TX_EMPTY;
    IC(b, IC_INTR_MASK) = mask;
}

/* Empties the RX FIFO into the caller's buffer (gone, NULL, once the
 * caller has left: the bytes are dropped). */
static void drain_rx(struct i2c_bus *b) {
    while (IC(b, IC_RXFLR)) {
        uint8_t byte = (uint8_t)IC(b, IC_DATA_CMD);
        if (b->rbuf && b->received < b->rn) b->rbuf[b->received++] = byte;
    }
}

static void i2c_service(struct i2c_bus *b) {
    uint32_t status = IC(b, IC_INTR_STAT);
    if (status & IC_INTR_TX_ABRT) {
        b->abort_source |= IC(b, IC_TX_ABRT_SOURCE);
        (void)IC(b, IC_CLR_TX_ABRT);
        b->sent = b->total; /* the controller flushed the rest */
    }
    drain_rx(b);
    /* The end: our STOP, or a lost arbitration (the other master's STOP may
     * be long in coming; the bus is recovered anyway). */
    if (status & IC_INTR_STOP_DET || b->abort_source & IC_ABRT_ARB_LOST) {
        (void)IC(b, IC_CLR_STOP_DET);
        IC(b, IC_INTR_MASK) = 0;
        b->finished = true;
        driver_deferred_signal(&b->done);
        return;
    }
    if (b->abort_source) {
        IC(b, IC_INTR_MASK) = IC_INTR_STOP_DET;
        return;
    }
    feed(b);
}

static void i2c0_irq(void) { i2c_service(&buses[0]); }
static void i2c1_irq(void) { i2c_service(&buses[1]); }

/* ---- loop context ---------------------------------------------------------------- */

static int transfer_result(const struct i2c_bus *b) {
    uint32_t src = b->abort_source;
    if (!src) return b->received == b->rn ? RESULT_OK : -EIO;
    if (src & IC_ABRT_7B_ADDR_NOACK) return -ENXIO;
    return -EIO; /* a data NAK, a lost arbitration, anything else */
}

static void transfer_done(driver_deferred_t *d) {
    struct i2c_bus *b = (struct i2c_bus *)(void *)((char *)d - offsetof(struct i2c_bus, done));
    if (!b->finished) return; /* a stale signal: that transfer was settled already */
    if (b->waiter) {
        asyncio_task_t *t = b->waiter;
        b->waiter = NULL;
        driver_wake(t, transfer_result(b));
    } else if (b->abandoned) {
        b->abandoned = false;
        rp2_bus_release(&b->bus);
    }
}

/* The task's side of one transfer, on its stack. */
struct i2c_call {
    struct i2c_bus *bus;
    bool interrupted; /* cancelled / timed out: the bus was dealt with */
    bool handed_off;  /* the controller still stops: transfer_done releases the bus */
};

static void transfer_interrupted(asyncio_task_t *t, int reason) {
    struct i2c_call *call = driver_wait_data(t);
    struct i2c_bus *b = call->bus;
    b->waiter = NULL;
    call->interrupted = true;
    uint32_t state = port_critical_enter();
    if (!b->finished) {
        b->abandoned = true;
        call->handed_off = true;
        b->rbuf = NULL; /* the caller's buffer is no longer ours */
        b->total = b->sent;
        IC(b, IC_INTR_MASK) = IC_INTR_TX_ABRT | IC_INTR_STOP_DET;
        IC(b, IC_ENABLE) = IC_ENABLE_ENABLE | IC_ENABLE_ABORT; /* STOP after this byte */
    }
    port_critical_exit(state);
    driver_wake(t, reason);
}

/* ---- set-up, recovery -------------------------------------------------------------- */

static void controller_setup(struct i2c_bus *b, unsigned id) {
    uint32_t period = (RP2_CLK_SYS_HZ + b->freq / 2u) / b->freq;
    uint32_t lcnt = period * 3u / 5u, hcnt = period - lcnt;
    IC(b, IC_ENABLE) = 0;
    IC(b, IC_CON) =
        IC_CON_MASTER_MODE | IC_CON_SPEED_FAST | IC_CON_RESTART_EN | IC_CON_SLAVE_DISABLE;
    IC(b, IC_FS_SCL_HCNT) = hcnt;
    IC(b, IC_FS_SCL_LCNT) = lcnt;
    IC(b, IC_FS_SPKLEN) = lcnt < 16u ? 1u : lcnt / 16u;
    /* SDA hold time: 300 ns (120 ns in fast mode plus), in clk_sys cycles */
    IC(b, IC_SDA_HOLD) =
        (b->freq < 1000000u ? RP2_CLK_SYS_HZ * 3u / 10000000u : RP2_CLK_SYS_HZ * 3u / 25000000u) +
        1u;
    IC(b, IC_TX_TL) = TX_LOW_WATER;
    IC(b, IC_RX_TL) = 0;
    IC(b, IC_INTR_MASK) = 0;
    (void)IC(b, IC_CLR_INTR);
    rp2_irq_set_handler(RP2_IRQ_I2C(id), id ? i2c1_irq : i2c0_irq);
    rp2_irq_enable(RP2_IRQ_I2C(id));
}

static void pin_to(unsigned gpio, uint32_t func) { RP2_REG(RP2_IO_GPIO_CTRL(gpio)) = func; }

static void delay_us(uint32_t us) {
    uint32_t start = RP2_REG(RP2_TIMER_RAWL);
    while (RP2_REG(RP2_TIMER_RAWL) - start < us) {
    }
}

/* The line on `gpio` pulled low (its output enabled, driving 0) or let
 * go (output disabled: the pull-up). */
static void line_pull_low(unsigned gpio, bool low) {
    if (low)
        RP2_SIO_REG(RP2_SIO_OE_SET, RP2_SIO_HI_OE_SET, gpio) = RP2_SIO_BIT(gpio);
    else
        RP2_SIO_REG(RP2_SIO_OE_CLR, RP2_SIO_HI_OE_CLR, gpio) = RP2_SIO_BIT(gpio);
}

/* The controller reset, nine SCL clocks (a device in the middle of a byte
 * lets go of SDA), then a STOP, by hand. */
static void recover_bus(struct i2c_bus *b, unsigned id) {
    uint32_t half = 500000u / b->freq + 1u;
    rp2_periph_reset(RP2_RESET_I2C(id));
    for (unsigned k = 0; k < 2; k++) {
        unsigned gpio = k ? b->sda : b->scl;
        line_pull_low(gpio, false);
        RP2_SIO_REG(RP2_SIO_OUT_CLR, RP2_SIO_HI_OUT_CLR, gpio) = RP2_SIO_BIT(gpio);
        pin_to(gpio, RP2_FUNC_SIO);
    }
    for (unsigned i = 0; i < 9u; i++) {
        line_pull_low(b->scl, true);
        delay_us(half);
        line_pull_low(b->scl, false);
        delay_us(half);
    }
    line_pull_low(b->sda, true); /* STOP: SDA rises while SCL is high */
    delay_us(half);
    line_pull_low(b->sda, false);
    delay_us(half);
    rp2_periph_unreset(RP2_RESET_I2C(id));
    controller_setup(b, id);
    pin_to(b->scl, RP2_FUNC_I2C);
    pin_to(b->sda, RP2_FUNC_I2C);
}

int machine_i2c_backend_init(const machine_i2c_t *i2c) {
    unsigned id = i2c->id;
    struct i2c_bus *b = &buses[id];
    b->base = RP2_I2C_BASE(id);
    b->done.fn = transfer_done;
    b->scl = i2c->scl;
    b->sda = i2c->sda;
    b->freq = i2c->freq;
    rp2_periph_unreset(RP2_RESET_I2C(id));
    controller_setup(b, id);
    for (unsigned k = 0; k < 2; k++) {
        unsigned gpio = k ? i2c->sda : i2c->scl;
        RP2_CLR(RP2_PADS_GPIO(gpio)) = RP2_PADS_OD | RP2_PADS_PDE;
        RP2_SET(RP2_PADS_GPIO(gpio)) = RP2_PADS_IE | RP2_PADS_PUE;
        pin_to(gpio, RP2_FUNC_I2C);
        rp2_pad_release(gpio);
    }
    return 0;
}

/* ---- one transfer ---------------------------------------------------------------- */

static void start(struct i2c_bus *b, const machine_i2c_t *i2c, const machine_i2c_request_t *rq) {
    b->pre[0] = rq->pre[0];
    b->pre[1] = rq->pre[1];
    b->pn = rq->pn;
    b->wbuf = rq->wbuf;
    b->wn = rq->wn;
    b->rbuf = rq->rbuf;
    b->rn = rq->rn;
    b->sent = b->received = 0;
    b->total = rq->pn + rq->wn + rq->rn;
    b->abort_source = 0;
    b->finished = false;
    b->abandoned = false;
    if (b->freq != i2c->freq || b->scl != i2c->scl) { /* another handle's settings */
        b->freq = i2c->freq;
        b->scl = i2c->scl;
        b->sda = i2c->sda;
        controller_setup(b, i2c->id);
    }
    IC(b, IC_ENABLE) = 0;
    IC(b, IC_TAR) = rq->addr;
    IC(b, IC_ENABLE) = IC_ENABLE_ENABLE;
    (void)IC(b, IC_CLR_INTR);
    feed(b);
}

/* The longest a transfer may take: its bits twice over, plus the timeout. */
static uint64_t transfer_budget_us(const machine_i2c_t *i2c, const machine_i2c_request_t *rq) {
    uint64_t bits = 20u + 9u * ((uint64_t)rq->pn + rq->wn + rq->rn);
    return 2u * bits * 1000000u / i2c->freq + i2c->timeout_us;
}

int machine_i2c_backend_transfer(const machine_i2c_t *i2c, const machine_i2c_request_t *asked) {
    machine_i2c_request_t probe_rq = *asked, *rq = &probe_rq;
    uint8_t probe;
    if (rq->pn + rq->wn + rq->rn == 0) { /* an address probe: the controller needs a command */
        rq->rbuf = &probe;
        rq->rn = 1;
    }
    struct i2c_bus *b = &buses[i2c->id];
    asyncio_task_t *self;
    int err = rp2_bus_acquire_for_transfer(&b->bus, &b->done, &self);
    if (err) return err;
    asyncio_loop_t *loop = driver_task_loop(self);
    uint64_t deadline = asyncio_loop_time_us(loop) + transfer_budget_us(i2c, rq);
    start(b, i2c, rq);
    b->waiter = self;
    struct i2c_call call = {b, false, false};
    int r = driver_wait(self, NULL, deadline, transfer_interrupted, &call);
    if (call.interrupted) {
        if (!call.handed_off) rp2_bus_release(&b->bus);
        return r;
    }
    bool stuck = false;
    if (r == 0) { /* the deadline: finished meanwhile, or stuck */
        b->waiter = NULL;
        uint32_t state = port_critical_enter(); /* no handler between the look and the mask */
        stuck = !b->finished;
        if (stuck) IC(b, IC_INTR_MASK) = 0;
        port_critical_exit(state);
        r = stuck ? -EIO : transfer_result(b);
    }
    if (stuck || (b->abort_source & IC_ABRT_ARB_LOST)) recover_bus(b, i2c->id);
    rp2_bus_release(&b->bus);
    return r == RESULT_OK ? 0 : r;
}
