/*
 * The RP2040's facts the RP2 drivers (src/drivers/rp2) need beyond the
 * blocks' own register layouts (rp2_periph_regs.h): where each block is,
 * its interrupt line, reset bit and DMA request, the GPIO functions, the
 * DMA channel control word. The bare-metal port's own table, from the
 * RP2040 datasheet (sections 2.2, 2.3.2, 2.5, 2.14, 2.19, 2.3.1.7); the
 * pico-sdk port takes the same facts from the SDK's headers
 * (src/port/pico-sdk/rp2_chip.h), for the RP2040 and the RP2350 alike. The
 * port's own start-up and console registers (src/drivers/rp2/regs.h) take
 * the blocks they share with the drivers from here.
 * tests/pico-sdk/chip_table.c compares this table with the SDK's RP2040
 * headers.
 */
#ifndef CASYNCIO_RP2_CHIP_H
#define CASYNCIO_RP2_CHIP_H

/* ---- where the blocks are ------------------------------------------------ */
#define RP2_IO_BANK0_BASE   0x40014000u
#define RP2_PADS_BANK0_BASE 0x4001c000u
#define RP2_SIO_BASE        0xd0000000u
#define RP2_I2C_BASE(n)     (0x40044000u + 0x4000u * (n))
#define RP2_SPI_BASE(n)     (0x4003c000u + 0x4000u * (n))
#define RP2_UART_BASE(n)    (0x40034000u + 0x4000u * (n))
#define RP2_ADC_BASE        0x4004c000u
#define RP2_PWM_BASE        0x40050000u
#define RP2_DMA_BASE        0x50000000u
#define RP2_TIMER_BASE      0x40054000u
#define RP2_TIMER_RAWL      (RP2_TIMER_BASE + 0x28u) /* TIMERAWL: 1 MHz, low word */

/* ---- SIO's GPIO registers ------------------------------------------------ */
#define RP2_SIO_GPIO_IN (RP2_SIO_BASE + 0x004u)
#define RP2_SIO_OUT_CLR (RP2_SIO_BASE + 0x018u)
#define RP2_SIO_OE_SET  (RP2_SIO_BASE + 0x024u)
#define RP2_SIO_OE_CLR  (RP2_SIO_BASE + 0x028u)
/* No GPIO 32 and up: the same registers (never reached). */
#define RP2_SIO_HI_OUT_CLR RP2_SIO_OUT_CLR
#define RP2_SIO_HI_OE_SET  RP2_SIO_OE_SET
#define RP2_SIO_HI_OE_CLR  RP2_SIO_OE_CLR

/* ---- pads: no isolation latch on the RP2040 ------------------------------- */
#define RP2_PADS_ISO 0u

/* ---- GPIO functions (IO_BANK0 GPIOn_CTRL.FUNCSEL) ------------------------- */
#define RP2_FUNC_SPI  1u
#define RP2_FUNC_UART 2u
#define RP2_FUNC_I2C  3u
#define RP2_FUNC_PWM  4u
#define RP2_FUNC_SIO  5u
#define RP2_FUNC_NULL 31u

/* ---- interrupt lines -------------------------------------------------------- */
#define RP2_IRQ_DMA0     11u
#define RP2_IRQ_SPI(n)   (18u + (n))
#define RP2_IRQ_UART(n)  (20u + (n))
#define RP2_IRQ_ADC_FIFO 22u
#define RP2_IRQ_I2C(n)   (23u + (n))

/* ---- DMA requests ------------------------------------------------------------ */
#define RP2_DREQ_SPI_TX(n) (16u + 2u * (n))
#define RP2_DREQ_SPI_RX(n) (17u + 2u * (n))
#define RP2_DREQ_ADC       36u

/* ---- RESETS bits ---------------------------------------------------------- */
#define RP2_RESET_ADC     (1u << 0)
#define RP2_RESET_DMA     (1u << 2)
#define RP2_RESET_I2C(n)  (1u << (3u + (n)))
#define RP2_RESET_PWM     (1u << 14)
#define RP2_RESET_SPI(n)  (1u << (16u + (n)))
#define RP2_RESET_UART(n) (1u << (22u + (n)))

/* ---- DMA: channels, the shared registers, a channel's CTRL word ----------- */
#define RP2_DMA_CHANNELS          12u
#define RP2_DMA_INTE0             (RP2_DMA_BASE + 0x404u)
#define RP2_DMA_INTS0             (RP2_DMA_BASE + 0x40cu)
#define RP2_DMA_CHAN_ABORT        (RP2_DMA_BASE + 0x444u)
#define RP2_DMA_CTRL_EN           (1u << 0)
#define RP2_DMA_CTRL_SIZE_LSB     2u
#define RP2_DMA_CTRL_INCR_READ    (1u << 4)
#define RP2_DMA_CTRL_INCR_WRITE   (1u << 5)
#define RP2_DMA_CTRL_CHAIN_TO_LSB 11u
#define RP2_DMA_CTRL_TREQ_LSB     15u
#define RP2_DMA_CTRL_BUSY         (1u << 24)

/* ---- UART streams: UART0 only (it is also the console, uart.c) ------------ */
#define RP2_UART_STREAMS 1u

#endif
