/*
 * RP2040 registers of the I2C, SPI, ADC, PWM and DMA blocks, and the few
 * IO_BANK0 / PADS ones their drivers need, from the RP2040
 * datasheet (chapter 4 and section 2.5). Only what the drivers touch.
 */
#ifndef CASYNCIO_RP2_PERIPH_REGS_H
#define CASYNCIO_RP2_PERIPH_REGS_H

#include <stdint.h>

#define RP2_REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
/* Atomic aliases of APB registers: +0x2000 sets bits, +0x3000 clears them. */
#define RP2_SET(addr) RP2_REG((addr) + 0x2000u)
#define RP2_CLR(addr) RP2_REG((addr) + 0x3000u)

/* ---- IO_BANK0 / PADS_BANK0 / SIO ------------------------------------------- */
#define RP2_IO_GPIO_CTRL(n) (0x40014004u + 8u * (n))
#define RP2_FUNC_SPI        1u
#define RP2_FUNC_I2C        3u
#define RP2_FUNC_PWM        4u
#define RP2_FUNC_SIO        5u
#define RP2_FUNC_NULL       31u
#define RP2_PADS_GPIO(n)    (0x4001c004u + 4u * (n))
#define RP2_PADS_PDE        (1u << 2)
#define RP2_PADS_PUE        (1u << 3)
#define RP2_PADS_IE         (1u << 6)
#define RP2_PADS_OD         (1u << 7)
#define RP2_SIO_GPIO_IN     0xd0000004u
#define RP2_SIO_OUT_CLR     0xd0000018u
#define RP2_SIO_OE_SET      0xd0000024u
#define RP2_SIO_OE_CLR      0xd0000028u
#define RP2_TIMER_RAWL      0x40054028u /* 1 MHz */

/* ---- I2C (Synopsys DesignWare DW_apb_i2c) ------------------------------------ */
#define RP2_I2C_BASE(n)       (0x40044000u + 0x4000u * (n))
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
#define RP2_IRQ_I2C(n)        (23u + (n))

/* ---- SPI (ARM PL022) ------------------------------------------------------- */
#define RP2_SPI_BASE(n)    (0x4003c000u + 0x4000u * (n))
#define SSPCR0             0x00u
#define SSPCR1             0x04u
#define SSPDR              0x08u
#define SSPSR              0x0cu
#define SSPCPSR            0x10u
#define SSPIMSC            0x14u
#define SSPICR             0x20u
#define SSPDMACR           0x24u
#define SSPCR0_DSS_8       7u
#define SSPCR0_SPO         (1u << 6)
#define SSPCR0_SPH         (1u << 7)
#define SSPCR1_SSE         (1u << 1)
#define SSPSR_TNF          (1u << 1)
#define SSPSR_RNE          (1u << 2)
#define SSPSR_BSY          (1u << 4)
#define SSPIMSC_RXIM       (1u << 2)
#define SSPIMSC_RTIM       (1u << 1)
#define SSPDMACR_RXDMAE    (1u << 0)
#define SSPDMACR_TXDMAE    (1u << 1)
#define SSP_FIFO_DEPTH     8u
#define RP2_IRQ_SPI(n)     (18u + (n))
#define RP2_DREQ_SPI_TX(n) (16u + 2u * (n))
#define RP2_DREQ_SPI_RX(n) (17u + 2u * (n))

/* ---- ADC ------------------------------------------------------------------- */
#define RP2_ADC_BASE      0x4004c000u
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
#define RP2_IRQ_ADC_FIFO  22u
#define RP2_DREQ_ADC      36u

/* ---- PWM ------------------------------------------------------------------- */
#define RP2_PWM_BASE 0x40050000u
#define PWM_CSR(s)   (RP2_PWM_BASE + 0x14u * (s) + 0x00u)
#define PWM_DIV(s)   (RP2_PWM_BASE + 0x14u * (s) + 0x04u)
#define PWM_CTR(s)   (RP2_PWM_BASE + 0x14u * (s) + 0x08u)
#define PWM_CC(s)    (RP2_PWM_BASE + 0x14u * (s) + 0x0cu)
#define PWM_TOP(s)   (RP2_PWM_BASE + 0x14u * (s) + 0x10u)
#define PWM_CSR_EN   (1u << 0)

/* ---- DMA ------------------------------------------------------------------- */
#define RP2_DMA_BASE           0x50000000u
#define DMA_READ_ADDR(c)       (RP2_DMA_BASE + 0x40u * (c) + 0x00u)
#define DMA_WRITE_ADDR(c)      (RP2_DMA_BASE + 0x40u * (c) + 0x04u)
#define DMA_TRANS_COUNT(c)     (RP2_DMA_BASE + 0x40u * (c) + 0x08u)
#define DMA_CTRL_TRIG(c)       (RP2_DMA_BASE + 0x40u * (c) + 0x0cu)
#define DMA_CTRL(c)            (RP2_DMA_BASE + 0x40u * (c) + 0x10u) /* alias 1: no trigger */
#define DMA_INTR               (RP2_DMA_BASE + 0x400u)
#define DMA_INTE0              (RP2_DMA_BASE + 0x404u)
#define DMA_INTS0              (RP2_DMA_BASE + 0x40cu)
#define DMA_CHAN_ABORT         (RP2_DMA_BASE + 0x444u)
#define DMA_CTRL_EN            (1u << 0)
#define DMA_CTRL_SIZE_BYTE     (0u << 2)
#define DMA_CTRL_SIZE_HALFWORD (1u << 2)
#define DMA_CTRL_INCR_READ     (1u << 4)
#define DMA_CTRL_INCR_WRITE    (1u << 5)
#define DMA_CTRL_CHAIN_TO(c)   ((uint32_t)(c) << 11)
#define DMA_CTRL_TREQ(d)       ((uint32_t)(d) << 15)
#define DMA_CTRL_BUSY          (1u << 24)
#define RP2_IRQ_DMA0           11u

#endif
