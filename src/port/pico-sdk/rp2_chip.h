/*
 * The chip's facts the RP2 drivers (src/drivers/rp2) need beyond the
 * blocks' own register layouts (rp2_periph_regs.h), on pico-sdk: taken from
 * the SDK's headers for the platform being built (PICO_PLATFORM rp2040 or
 * rp2350-arm-s), so nothing here is a second copy of a table: where each
 * block is, its interrupt line, reset bit and DMA request, the GPIO
 * functions, the DMA channel control word, the pads' isolation latch (the
 * RP2350's). The bare-metal port keeps its own RP2040 table
 * (src/port/rp2040/rp2_chip.h).
 */
#ifndef CASYNCIO_RP2_CHIP_H
#define CASYNCIO_RP2_CHIP_H

#include "hardware/platform_defs.h"
#include "hardware/regs/addressmap.h"
#include "hardware/regs/dma.h"
#include "hardware/regs/dreq.h"
#include "hardware/regs/intctrl.h"
#include "hardware/regs/pads_bank0.h"
#include "hardware/regs/resets.h"
#include "hardware/regs/sio.h"
#include "hardware/structs/io_bank0.h" /* GPIO_FUNC_* */
#include "hardware/timer.h"            /* timer_hw: the SDK's default timer */

/* ---- where the blocks are ------------------------------------------------ */
#define RP2_IO_BANK0_BASE   IO_BANK0_BASE
#define RP2_PADS_BANK0_BASE PADS_BANK0_BASE
#define RP2_SIO_BASE        SIO_BASE
#define RP2_I2C_BASE(n)     ((n) ? I2C1_BASE : I2C0_BASE)
#define RP2_SPI_BASE(n)     ((n) ? SPI1_BASE : SPI0_BASE)
#define RP2_UART_BASE(n)    ((n) ? UART1_BASE : UART0_BASE)
#define RP2_ADC_BASE        ADC_BASE
#define RP2_PWM_BASE        PWM_BASE
#define RP2_DMA_BASE        DMA_BASE
#define RP2_TIMER_RAWL      ((uintptr_t)&timer_hw->timerawl)

/* ---- SIO's GPIO registers: GPIO 0..31, and 32..47 (RP2350) --------------- */
#define RP2_SIO_GPIO_IN (SIO_BASE + SIO_GPIO_IN_OFFSET)
#define RP2_SIO_OUT_CLR (SIO_BASE + SIO_GPIO_OUT_CLR_OFFSET)
#define RP2_SIO_OE_SET  (SIO_BASE + SIO_GPIO_OE_SET_OFFSET)
#define RP2_SIO_OE_CLR  (SIO_BASE + SIO_GPIO_OE_CLR_OFFSET)
#if defined(SIO_GPIO_HI_OUT_CLR_OFFSET)
#define RP2_SIO_HI_OUT_CLR (SIO_BASE + SIO_GPIO_HI_OUT_CLR_OFFSET)
#define RP2_SIO_HI_OE_SET  (SIO_BASE + SIO_GPIO_HI_OE_SET_OFFSET)
#define RP2_SIO_HI_OE_CLR  (SIO_BASE + SIO_GPIO_HI_OE_CLR_OFFSET)
#else /* no GPIO 32 and up: the same registers (never reached) */
#define RP2_SIO_HI_OUT_CLR RP2_SIO_OUT_CLR
#define RP2_SIO_HI_OE_SET  RP2_SIO_OE_SET
#define RP2_SIO_HI_OE_CLR  RP2_SIO_OE_CLR
#endif

/* ---- pads: the RP2350 keeps a pad isolated until this bit is cleared ------- */
#if defined(PADS_BANK0_GPIO0_ISO_BITS)
#define RP2_PADS_ISO PADS_BANK0_GPIO0_ISO_BITS
#else
#define RP2_PADS_ISO 0u
#endif

/* ---- GPIO functions ---------------------------------------------------------- */
#define RP2_FUNC_SPI  ((unsigned)GPIO_FUNC_SPI)
#define RP2_FUNC_UART ((unsigned)GPIO_FUNC_UART)
#define RP2_FUNC_I2C  ((unsigned)GPIO_FUNC_I2C)
#define RP2_FUNC_PWM  ((unsigned)GPIO_FUNC_PWM)
#define RP2_FUNC_SIO  ((unsigned)GPIO_FUNC_SIO)
#define RP2_FUNC_NULL ((unsigned)GPIO_FUNC_NULL)

/* ---- interrupt lines -------------------------------------------------------- */
#define RP2_IRQ_DMA0     DMA_IRQ_0
#define RP2_IRQ_SPI(n)   ((n) ? SPI1_IRQ : SPI0_IRQ)
#define RP2_IRQ_UART(n)  ((n) ? UART1_IRQ : UART0_IRQ)
#define RP2_IRQ_ADC_FIFO ADC_IRQ_FIFO
#define RP2_IRQ_I2C(n)   ((n) ? I2C1_IRQ : I2C0_IRQ)

/* ---- DMA requests ------------------------------------------------------------ */
#define RP2_DREQ_SPI_TX(n) ((n) ? DREQ_SPI1_TX : DREQ_SPI0_TX)
#define RP2_DREQ_SPI_RX(n) ((n) ? DREQ_SPI1_RX : DREQ_SPI0_RX)
#define RP2_DREQ_ADC       DREQ_ADC

/* ---- RESETS bits ---------------------------------------------------------- */
#define RP2_RESET_ADC     RESETS_RESET_ADC_BITS
#define RP2_RESET_DMA     RESETS_RESET_DMA_BITS
#define RP2_RESET_I2C(n)  ((n) ? RESETS_RESET_I2C1_BITS : RESETS_RESET_I2C0_BITS)
#define RP2_RESET_PWM     RESETS_RESET_PWM_BITS
#define RP2_RESET_SPI(n)  ((n) ? RESETS_RESET_SPI1_BITS : RESETS_RESET_SPI0_BITS)
#define RP2_RESET_UART(n) ((n) ? RESETS_RESET_UART1_BITS : RESETS_RESET_UART0_BITS)

/* ---- DMA: channels, the shared registers, a channel's CTRL word ----------- */
#define RP2_DMA_CHANNELS          NUM_DMA_CHANNELS
#define RP2_DMA_INTE0             (DMA_BASE + DMA_INTE0_OFFSET)
#define RP2_DMA_INTS0             (DMA_BASE + DMA_INTS0_OFFSET)
#define RP2_DMA_CHAN_ABORT        (DMA_BASE + DMA_CHAN_ABORT_OFFSET)
#define RP2_DMA_CTRL_EN           DMA_CH0_CTRL_TRIG_EN_BITS
#define RP2_DMA_CTRL_SIZE_LSB     DMA_CH0_CTRL_TRIG_DATA_SIZE_LSB
#define RP2_DMA_CTRL_INCR_READ    DMA_CH0_CTRL_TRIG_INCR_READ_BITS
#define RP2_DMA_CTRL_INCR_WRITE   DMA_CH0_CTRL_TRIG_INCR_WRITE_BITS
#define RP2_DMA_CTRL_CHAIN_TO_LSB DMA_CH0_CTRL_TRIG_CHAIN_TO_LSB
#define RP2_DMA_CTRL_TREQ_LSB     DMA_CH0_CTRL_TRIG_TREQ_SEL_LSB
#define RP2_DMA_CTRL_BUSY         DMA_CH0_CTRL_TRIG_BUSY_BITS

/* ---- UART streams: both UARTs (not the one stdio_uart runs on) ------------ */
#define RP2_UART_STREAMS NUM_UARTS

#endif
