/*
 * Clock tree and reset releases for a Pico: 12 MHz crystal -> clk_ref,
 * PLL_SYS at 125 MHz -> clk_sys -> clk_peri, and a 1 MHz tick for the TIMER.
 *
 * The emulator reports every reset as done and every oscillator as stable at
 * once, so the waits below only matter on real hardware; each follows the
 * order the RP2040 datasheet requires.
 */
#include "regs.h"
#include "rp2040.h"

#define XOSC_HZ 12000000u
/* XOSC_STARTUP counts in units of 256 crystal cycles: about 1 ms. */
#define XOSC_STARTUP_DELAY ((XOSC_HZ / 1000u + 128u) / 256u)

/* 12 MHz / REFDIV 1 * FBDIV 125 = 1500 MHz VCO (range 750..1600 MHz), then
 * / POSTDIV1 6 / POSTDIV2 2 = 125 MHz. */
#define PLL_SYS_REFDIV   1u
#define PLL_SYS_FBDIV    125u
#define PLL_SYS_POSTDIV1 6u
#define PLL_SYS_POSTDIV2 2u

/* The watchdog tick generator divides clk_ref (12 MHz) down to the 1 MHz
 * tick that the TIMER counts. */
#define WATCHDOG_TICK_CYCLES (XOSC_HZ / 1000000u)

/* Peripherals this port drives. Asserting a reset first gives each a known
 * state whatever ran before (the boot ROM, a debugger, a soft reset). */
#define RESETS_USED (RESET_IO_BANK0 | RESET_PADS_BANK0 | RESET_TIMER | RESET_UART0)

/* Registers reached from their block's base (see BLOCK_REG in regs.h). */
#define CLK(reg)  BLOCK_REG(CLOCKS_BASE, reg)
#define XOSC(reg) BLOCK_REG(XOSC_BASE, reg)
#define PLL(reg)  BLOCK_REG(PLL_SYS_BASE, reg)

static void resets_cycle(uint32_t mask) {
    REG_SET(RESETS_RESET) = mask;
    REG_CLR(RESETS_RESET) = mask;
    while ((REG(RESETS_RESET_DONE) & mask) != mask) {
    }
}

/* The start-up delay first, then frequency range and enable in one write. */
static void xosc_start(void) {
    XOSC(XOSC_STARTUP) = XOSC_STARTUP_DELAY;
    XOSC(XOSC_CTRL) = XOSC_CTRL_FREQ_RANGE_1_15MHZ | XOSC_CTRL_ENABLE;
    while (!(XOSC(XOSC_STATUS) & XOSC_STATUS_STABLE)) {
    }
}

/* clk_ref and clk_sys have glitchless muxes: a switch takes effect when the
 * SELECTED register shows the new source (one-hot). */
static void clk_ref_from_xosc(void) {
    CLK(CLK_REF_DIV) = CLK_DIV_ONE;
    CLK(CLK_REF_CTRL) = CLK_REF_CTRL_SRC_XOSC;
    while (!(CLK(CLK_REF_SELECTED) & (1u << CLK_REF_CTRL_SRC_XOSC))) {
    }
}

/* clk_sys must leave the PLL before the PLL is reset and re-programmed. */
static void clk_sys_from_ref(void) {
    REG_CLR(CLK_SYS_CTRL) = CLK_SYS_CTRL_SRC_AUX;
    while (!(CLK(CLK_SYS_SELECTED) & (1u << CLK_SYS_CTRL_SRC_REF))) {
    }
}

static void pll_sys_start(void) {
    resets_cycle(RESET_PLL_SYS);
    PLL(PLL_CS) = PLL_SYS_REFDIV;
    PLL(PLL_FBDIV_INT) = PLL_SYS_FBDIV;
    REG_CLR(PLL_PWR) = PLL_PWR_PD | PLL_PWR_VCOPD;
    while (!(PLL(PLL_CS) & PLL_CS_LOCK)) {
    }
    PLL(PLL_PRIM) =
        (PLL_SYS_POSTDIV1 << PLL_PRIM_POSTDIV1_LSB) | (PLL_SYS_POSTDIV2 << PLL_PRIM_POSTDIV2_LSB);
    REG_CLR(PLL_PWR) = PLL_PWR_POSTDIVPD;
}

/* The aux mux behind clk_sys is not glitchless: change it only while clk_sys
 * runs from clk_ref, then select the aux input. */
static void clk_sys_from_pll(void) {
    CLK(CLK_SYS_DIV) = CLK_DIV_ONE;
    CLK(CLK_SYS_CTRL) = CLK_SYS_CTRL_AUXSRC_PLL_SYS | CLK_SYS_CTRL_SRC_REF;
    CLK(CLK_SYS_CTRL) = CLK_SYS_CTRL_AUXSRC_PLL_SYS | CLK_SYS_CTRL_SRC_AUX;
    while (!(CLK(CLK_SYS_SELECTED) & (1u << CLK_SYS_CTRL_SRC_AUX))) {
    }
}

/* clk_peri has no glitchless mux: stop it before choosing its source
 * (clk_sys is AUXSRC 0, so the write that stops it also chooses it; a
 * glitch meanwhile cannot matter, the peripherals it clocks are reset
 * last). */
static void clk_peri_from_sys(void) {
    CLK(CLK_PERI_CTRL) = CLK_PERI_CTRL_AUXSRC_CLK_SYS;
    REG_SET(CLK_PERI_CTRL) = CLK_PERI_CTRL_ENABLE;
}

void rp2040_clocks_init(void) {
    CLK(CLK_SYS_RESUS_CTRL) = 0;
    xosc_start();
    clk_sys_from_ref();
    clk_ref_from_xosc();
    pll_sys_start();
    clk_sys_from_pll();
    clk_peri_from_sys();
    REG(WATCHDOG_TICK) = WATCHDOG_TICK_CYCLES | WATCHDOG_TICK_ENABLE;
    /* UART0 leaves reset only with clk_peri running, so this comes last. */
    resets_cycle(RESETS_USED);
}
