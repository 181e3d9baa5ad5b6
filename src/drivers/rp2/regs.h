/*
 * RP2040 register addresses and bit fields used by the bare-metal port (its
 * start-up, clocks, timer, console, pins), from the RP2040 datasheet. Only
 * what the port touches is listed. The blocks the drivers share with it
 * (IO_BANK0, PADS_BANK0, SIO, TIMER, UART0) are where the port's
 * rp2_chip.h says.
 */
#ifndef CASYNCIO_RP2040_REGS_H
#define CASYNCIO_RP2040_REGS_H

#include <stdint.h>

#include "rp2_chip.h"

#define REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* A register reached from its block's base address, held in a CPU register:
 * each access is then one instruction with an offset, where a constant
 * address costs a 4-byte literal of its own (the Cortex-M0+ cannot build
 * one inline). rp2040_block() keeps the compiler from folding the base back
 * into every address. Worth it where code touches several registers of a
 * block in a row. */
static inline uintptr_t rp2040_block(uintptr_t base) {
    __asm("" : "+l"(base));
    return base;
}
#define BLOCK_REG(base, addr) REG(rp2040_block(base) + ((addr) - (base)))

/* Every APB/AHB peripheral register has aliases that write atomically:
 * +0x2000 sets the written bits, +0x3000 clears them. */
#define REG_SET(addr) REG((addr) + 0x2000u)
#define REG_CLR(addr) REG((addr) + 0x3000u)

/* ---- RESETS -------------------------------------------------------------- */
#define RESETS_BASE       0x4000c000u
#define RESETS_RESET      (RESETS_BASE + 0x0u)
#define RESETS_RESET_DONE (RESETS_BASE + 0x8u)
#define RESET_IO_BANK0    (1u << 5)
#define RESET_PADS_BANK0  (1u << 8)
#define RESET_PLL_SYS     (1u << 12)
#define RESET_TIMER       (1u << 21)
#define RESET_UART0       RP2_RESET_UART(0)

/* ---- XOSC ---------------------------------------------------------------- */
#define XOSC_BASE                    0x40024000u
#define XOSC_CTRL                    (XOSC_BASE + 0x00u)
#define XOSC_STATUS                  (XOSC_BASE + 0x04u)
#define XOSC_STARTUP                 (XOSC_BASE + 0x0cu)
#define XOSC_CTRL_FREQ_RANGE_1_15MHZ 0xaa0u
#define XOSC_CTRL_ENABLE             (0xfabu << 12)
#define XOSC_STATUS_STABLE           (1u << 31)

/* ---- PLL_SYS ------------------------------------------------------------- */
#define PLL_SYS_BASE          0x40028000u
#define PLL_CS                (PLL_SYS_BASE + 0x0u)
#define PLL_PWR               (PLL_SYS_BASE + 0x4u)
#define PLL_FBDIV_INT         (PLL_SYS_BASE + 0x8u)
#define PLL_PRIM              (PLL_SYS_BASE + 0xcu)
#define PLL_CS_LOCK           (1u << 31)
#define PLL_PWR_PD            (1u << 0)
#define PLL_PWR_POSTDIVPD     (1u << 3)
#define PLL_PWR_VCOPD         (1u << 5)
#define PLL_PRIM_POSTDIV1_LSB 16
#define PLL_PRIM_POSTDIV2_LSB 12

/* ---- CLOCKS -------------------------------------------------------------- */
#define CLOCKS_BASE                  0x40008000u
#define CLK_REF_CTRL                 (CLOCKS_BASE + 0x30u)
#define CLK_REF_DIV                  (CLOCKS_BASE + 0x34u)
#define CLK_REF_SELECTED             (CLOCKS_BASE + 0x38u)
#define CLK_SYS_CTRL                 (CLOCKS_BASE + 0x3cu)
#define CLK_SYS_DIV                  (CLOCKS_BASE + 0x40u)
#define CLK_SYS_SELECTED             (CLOCKS_BASE + 0x44u)
#define CLK_PERI_CTRL                (CLOCKS_BASE + 0x48u)
#define CLK_SYS_RESUS_CTRL           (CLOCKS_BASE + 0x78u)
#define CLK_REF_CTRL_SRC_XOSC        2u /* SRC field, bits 1:0 */
#define CLK_SYS_CTRL_SRC_REF         0u /* SRC field, bit 0 */
#define CLK_SYS_CTRL_SRC_AUX         1u
#define CLK_SYS_CTRL_AUXSRC_MASK     (7u << 5)
#define CLK_SYS_CTRL_AUXSRC_PLL_SYS  (0u << 5)
#define CLK_PERI_CTRL_ENABLE         (1u << 11)
#define CLK_PERI_CTRL_AUXSRC_CLK_SYS (0u << 5)
#define CLK_DIV_ONE                  (1u << 8) /* integer part 1, fraction 0 */

/* ---- WATCHDOG (its tick generator clocks the TIMER) ---------------------- */
#define WATCHDOG_BASE        0x40058000u
#define WATCHDOG_TICK        (WATCHDOG_BASE + 0x2cu)
#define WATCHDOG_TICK_ENABLE (1u << 9)

/* ---- TIMER --------------------------------------------------------------- */
#define TIMER_BASE       RP2_TIMER_BASE
#define TIMER_ALARM0     (TIMER_BASE + 0x10u)
#define TIMER_ALARM1     (TIMER_BASE + 0x14u)
#define TIMER_ARMED      (TIMER_BASE + 0x20u)
#define TIMER_TIMERAWH   (TIMER_BASE + 0x24u)
#define TIMER_TIMERAWL   (TIMER_BASE + 0x28u)
#define TIMER_INTR       (TIMER_BASE + 0x34u)
#define TIMER_INTE       (TIMER_BASE + 0x38u)
#define TIMER_ALARM0_BIT (1u << 0)
#define TIMER_ALARM1_BIT (1u << 1)

/* ---- UART0 (ARM PL011) --------------------------------------------------- */
#define UART0_BASE        RP2_UART_BASE(0)
#define UART_DR           (UART0_BASE + 0x00u)
#define UART_FR           (UART0_BASE + 0x18u)
#define UART_IBRD         (UART0_BASE + 0x24u)
#define UART_FBRD         (UART0_BASE + 0x28u)
#define UART_LCR_H        (UART0_BASE + 0x2cu)
#define UART_CR           (UART0_BASE + 0x30u)
#define UART_IFLS         (UART0_BASE + 0x34u)
#define UART_IMSC         (UART0_BASE + 0x38u)
#define UART_ICR          (UART0_BASE + 0x44u)
#define UART_DR_OE        (1u << 11) /* a byte was lost: the RX FIFO was full */
#define UART_FR_TXFE      (1u << 7)
#define UART_FR_TXFF      (1u << 5)
#define UART_FR_RXFE      (1u << 4)
#define UART_FR_BUSY      (1u << 3)
#define UART_LCR_H_WLEN_8 (3u << 5)
#define UART_LCR_H_FEN    (1u << 4)
#define UART_CR_UARTEN    (1u << 0)
#define UART_CR_TXE       (1u << 8)
#define UART_CR_RXE       (1u << 9)
/* UARTIMSC / UARTICR bits */
#define UART_INT_RX (1u << 4)
#define UART_INT_TX (1u << 5)
#define UART_INT_RT (1u << 6) /* RX timeout: bytes below the RX level */
#define UART_INT_OE (1u << 10)
/* UARTIFLS: TXIFLSEL bits 2:0, RXIFLSEL bits 5:3 */
#define UART_IFLS_TX_QUARTER (1u << 0) /* TX FIFO fell to <= 1/4 full */
#define UART_IFLS_RX_HALF    (2u << 3) /* RX FIFO reached >= 1/2 full */

/* ---- IO_BANK0 ------------------------------------------------------------ */
#define IO_BANK0_BASE       RP2_IO_BANK0_BASE
#define IO_GPIO_CTRL(n)     (IO_BANK0_BASE + 8u * (n) + 4u)
#define IO_INTR(n)          (IO_BANK0_BASE + 0xf0u + 4u * ((n) / 8u)) /* 8 pins a word */
#define IO_PROC0_INTE(n)    (IO_BANK0_BASE + 0x100u + 4u * ((n) / 8u))
#define IO_PROC0_INTS(bank) (IO_BANK0_BASE + 0x120u + 4u * (bank))
#define IO_INT_SHIFT(n)     (4u * ((n) % 8u)) /* 4 bits a pin */
#define IO_INT_EDGE_LOW     4u
#define IO_INT_EDGE_HIGH    8u
#define IO_FUNC_UART        RP2_FUNC_UART
#define IO_FUNC_SIO         RP2_FUNC_SIO

/* ---- PADS_BANK0 ---------------------------------------------------------- */
#define PADS_BANK0_BASE RP2_PADS_BANK0_BASE
#define PADS_GPIO(n)    (PADS_BANK0_BASE + 4u + 4u * (n))
#define PADS_PDE        (1u << 2)
#define PADS_PUE        (1u << 3)
#define PADS_IE         (1u << 6)
#define PADS_OD         (1u << 7)

/* ---- SIO (single-cycle I/O, core-local, no atomic aliases) --------------- */
#define SIO_BASE         RP2_SIO_BASE
#define SIO_GPIO_IN      (SIO_BASE + 0x004u)
#define SIO_GPIO_OUT     (SIO_BASE + 0x010u)
#define SIO_GPIO_OUT_SET (SIO_BASE + 0x014u)
#define SIO_GPIO_OUT_CLR (SIO_BASE + 0x018u)
#define SIO_GPIO_OUT_XOR (SIO_BASE + 0x01cu)
#define SIO_GPIO_OE_SET  (SIO_BASE + 0x024u)
#define SIO_GPIO_OE_CLR  (SIO_BASE + 0x028u)

/* ---- Cortex-M0+ private peripherals -------------------------------------- */
#define NVIC_ISER 0xe000e100u
#define NVIC_ICER 0xe000e180u
#define NVIC_ICPR 0xe000e280u
#define SCB_VTOR  0xe000ed08u

/* Interrupt numbers (NVIC lines) */
#define IRQ_TIMER0   0u
#define IRQ_TIMER1   1u
#define IRQ_IO_BANK0 13u
#define IRQ_UART0    RP2_IRQ_UART(0)

#endif
