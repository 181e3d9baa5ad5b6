/*
 * The registers of the I2C, SPI, UART, ADC, PWM and DMA blocks, and the few
 * IO_BANK0 / PADS ones the drivers need: each block's own layout, the same
 * on the RP2040 and the RP2350 (their datasheets, chapter 4 / 12 and the
 * DMA section). Only what the drivers touch. Where the blocks are, and what
 * differs between the chips (interrupt lines, resets, DMA requests, the DMA
 * control word), is the port's rp2_chip.h. src/port/pico-sdk/rp2_chip_check.c
 * compares these layouts with the SDK's headers in every pico-sdk build.
 */
#ifndef CASYNCIO_RP2_PERIPH_REGS_H
#define CASYNCIO_RP2_PERIPH_REGS_H

#include <stdint.h>

#include "rp2_chip.h" /* the port's: block addresses, IRQs, resets, DREQs */

#define RP2_REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
/* Atomic aliases of APB registers: +0x2000 sets bits, +0x3000 clears them. */
#define RP2_SET(addr) RP2_REG((addr) + 0x2000u)
#define RP2_CLR(addr) RP2_REG((addr) + 0x3000u)

/* ---- IO_BANK0 / PADS_BANK0 ------------------------------------------------ */
#define RP2_IO_GPIO_CTRL(n) (RP2_IO_BANK0_BASE + 8u * (n) + 4u)
#define RP2_PADS_GPIO(n)    (RP2_PADS_BANK0_BASE + 4u + 4u * (n))
#define RP2_PADS_PDE        (1u << 2)
#define RP2_PADS_PUE        (1u << 3)
#define RP2_PADS_IE         (1u << 6)
#define RP2_PADS_OD         (1u << 7)

/* The pad's isolation latch let go, once its function is set (RP2350; a
 * constant 0 on the RP2040, and nothing done). */
static inline void rp2_pad_release(unsigned gpio) {
    if (RP2_PADS_ISO) RP2_CLR(RP2_PADS_GPIO(gpio)) = RP2_PADS_ISO;
}

/* GPIO g's bit in SIO's registers: those of GPIO 0..31, or of 32..47
 * (the RP2350B's, RP2_SIO_HI_*). */
#define RP2_SIO_BIT(g)         (1u << ((g) % 32u))
#define RP2_SIO_REG(lo, hi, g) RP2_REG((g) < 32u ? (lo) : (hi))

/* ---- I2C (Synopsys DesignWare DW_apb_i2c) ------------------------------------ */
#define IC_CON                0x00u
#define IC_TAR                0x04u
#define IC_DATA_CMD           0x10u
#define IC_FS_SCL_HCNT        0x1cu
#define IC_FS_SCL_LCNT        0x20u
#define IC_INTR_STAT          0x2cu
#define IC_INTR_MASK          0x30u
#define IC_RX_TL              0x38u
#define IC_TX_TL              0x3cu
#define IC_CLR_INTR           0x40u
#define IC_CLR_TX_ABRT        0x54u
#define IC_CLR_STOP_DET       0x60u
#define IC_ENABLE             0x6cu
#define IC_STATUS             0x70u
#define IC_TXFLR              0x74u
#define IC_RXFLR              0x78u
#define IC_SDA_HOLD           0x7cu
#define IC_TX_ABRT_SOURCE     0x80u
#define IC_FS_SPKLEN          0xa0u
#define IC_CON_MASTER_MODE    (1u << 0)
#define IC_CON_SPEED_FAST     (2u << 1)
#define IC_CON_RESTART_EN     (1u << 5)
#define IC_CON_SLAVE_DISABLE  (1u << 6)
#define IC_DATA_CMD_READ      (1u << 8)
#define IC_DATA_CMD_STOP      (1u << 9)
#define IC_DATA_CMD_RESTART   (1u << 10)
#define IC_INTR_RX_FULL       (1u << 2)
#define IC_INTR_TX_EMPTY      (1u << 4)
#define IC_INTR_TX_ABRT       (1u << 6)
#define IC_INTR_STOP_DET      (1u << 9)
#define IC_ENABLE_ENABLE      (1u << 0)
#define IC_ENABLE_ABORT       (1u << 1)
#define IC_ABRT_7B_ADDR_NOACK (1u << 0)
#define IC_ABRT_TXDATA_NOACK  (1u << 3)
#define IC_ABRT_ARB_LOST      (1u << 12)
#define IC_ABRT_USER_ABRT     (1u << 16)
#define IC_FIFO_DEPTH         16u

/* ---- SPI (ARM PL022) ------------------------------------------------------- */
#define SSPCR0          0x00u
#define SSPCR1          0x04u
#define SSPDR           0x08u
#define SSPSR           0x0cu
#define SSPCPSR         0x10u
#define SSPIMSC         0x14u
#define SSPICR          0x20u
#define SSPDMACR        0x24u
#define SSPCR0_DSS_8    7u
#define SSPCR0_SPO      (1u << 6)
#define SSPCR0_SPH      (1u << 7)
#define SSPCR1_SSE      (1u << 1)
#define SSPSR_TNF       (1u << 1)
#define SSPSR_RNE       (1u << 2)
#define SSPSR_BSY       (1u << 4)
#define SSPIMSC_RXIM    (1u << 2)
#define SSPIMSC_RTIM    (1u << 1)
#define SSPDMACR_RXDMAE (1u << 0)
#define SSPDMACR_TXDMAE (1u << 1)
#define SSP_FIFO_DEPTH  8u

/* ---- ADC ------------------------------------------------------------------- */
#define ADC_CS            0x00u
#define ADC_FCS           0x08u
#define ADC_FIFO          0x0cu
#define ADC_DIV           0x10u
#define ADC_INTE          0x18u
#define ADC_CS_EN         (1u << 0)
#define ADC_CS_TS_EN      (1u << 1)
#define ADC_CS_START_ONE  (1u << 2)
#define ADC_CS_START_MANY (1u << 3)
#define ADC_CS_READY      (1u << 8)
#define ADC_CS_AINSEL(n)  ((uint32_t)(n) << 12)
#define ADC_FCS_EN        (1u << 0)
#define ADC_FCS_DREQ_EN   (1u << 3)
#define ADC_FCS_EMPTY     (1u << 8)
#define ADC_FCS_OVER      (1u << 11)
#define ADC_FCS_UNDER     (1u << 10)
#define ADC_FCS_THRESH(n) ((uint32_t)(n) << 24)

/* ---- PWM ------------------------------------------------------------------- */
#define PWM_CSR(s) (RP2_PWM_BASE + 0x14u * (s) + 0x00u)
#define PWM_DIV(s) (RP2_PWM_BASE + 0x14u * (s) + 0x04u)
#define PWM_CTR(s) (RP2_PWM_BASE + 0x14u * (s) + 0x08u)
#define PWM_CC(s)  (RP2_PWM_BASE + 0x14u * (s) + 0x0cu)
#define PWM_TOP(s) (RP2_PWM_BASE + 0x14u * (s) + 0x10u)
#define PWM_CSR_EN (1u << 0)

/* ---- UART (ARM PL011) ------------------------------------------------------ */
#define PL011_DR              0x00u
#define PL011_FR              0x18u
#define PL011_IBRD            0x24u
#define PL011_FBRD            0x28u
#define PL011_LCR_H           0x2cu
#define PL011_CR              0x30u
#define PL011_IFLS            0x34u
#define PL011_IMSC            0x38u
#define PL011_ICR             0x44u
#define PL011_DR_OE           (1u << 11) /* a byte was lost: the RX FIFO was full */
#define PL011_FR_TXFE         (1u << 7)
#define PL011_FR_TXFF         (1u << 5)
#define PL011_FR_RXFE         (1u << 4)
#define PL011_FR_BUSY         (1u << 3)
#define PL011_LCR_H_WLEN_8    (3u << 5)
#define PL011_LCR_H_FEN       (1u << 4)
#define PL011_CR_UARTEN       (1u << 0)
#define PL011_CR_TXE          (1u << 8)
#define PL011_CR_RXE          (1u << 9)
#define PL011_INT_RX          (1u << 4) /* IMSC / ICR bits */
#define PL011_INT_TX          (1u << 5)
#define PL011_INT_RT          (1u << 6) /* RX timeout: bytes below the RX level */
#define PL011_INT_OE          (1u << 10)
#define PL011_IFLS_TX_QUARTER (1u << 0) /* TX FIFO fell to <= 1/4 full */
#define PL011_IFLS_RX_HALF    (2u << 3) /* RX FIFO reached >= 1/2 full */

/* ---- DMA: a channel's registers (the shared ones are in rp2_chip.h) -------- */
#define DMA_READ_ADDR(c)       (RP2_DMA_BASE + 0x40u * (c) + 0x00u)
#define DMA_WRITE_ADDR(c)      (RP2_DMA_BASE + 0x40u * (c) + 0x04u)
#define DMA_TRANS_COUNT(c)     (RP2_DMA_BASE + 0x40u * (c) + 0x08u)
#define DMA_CTRL_TRIG(c)       (RP2_DMA_BASE + 0x40u * (c) + 0x0cu)
#define DMA_CTRL(c)            (RP2_DMA_BASE + 0x40u * (c) + 0x10u) /* alias 1: no trigger */
#define DMA_CTRL_SIZE_BYTE     (0u << RP2_DMA_CTRL_SIZE_LSB)
#define DMA_CTRL_SIZE_HALFWORD (1u << RP2_DMA_CTRL_SIZE_LSB)
#define DMA_CTRL_CHAIN_TO(c)   ((uint32_t)(c) << RP2_DMA_CTRL_CHAIN_TO_LSB)
#define DMA_CTRL_TREQ(d)       ((uint32_t)(d) << RP2_DMA_CTRL_TREQ_LSB)

#endif
