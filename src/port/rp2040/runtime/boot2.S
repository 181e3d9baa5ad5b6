/*
 * Second-stage boot loader: the first 256 bytes of flash.
 *
 * The boot ROM reads these 256 bytes with slow 03h reads, checks the CRC32 in
 * the last 4 bytes, copies them to the top of SRAM (0x20041f00) and runs them
 * there with lr = 0. So this code must be position independent (PC-relative
 * literals only) and must not use the stack. Its one job: set the flash
 * interface (SSI) up so the CPU can execute from flash through the XIP window,
 * then start the image whose vector table follows at 0x10000100.
 *
 * We keep plain 03h serial reads: every SPI flash supports them, so the image
 * boots on any board, at the price of slower cache refills than quad modes.
 *
 * The bytes that boot loader leaves before the CRC would be padding; they
 * hold rp2040_clocks_init (below), which the reset handler calls from flash.
 *
 * The build assembles this file alone, pads it to 252 bytes and appends the
 * CRC (tools/boot2_crc.mjs), names rp2040_clocks_init at its offset there
 * (boot2_symbols.cmake); the firmware links that patched copy.
 */
    .syntax unified
    .cpu cortex-m0plus
    .thumb

    .equ SSI_BASE,        0x18000000
    .equ SSI_CTRLR0,      0x00
    .equ SSI_CTRLR1,      0x04
    .equ SSI_SSIENR,      0x08
    .equ SSI_BAUDR,       0x14
    .equ SSI_SPI_CTRLR0,  0xf4
    /* CTRLR0: standard SPI frame format, 32-bit data frames (DFS_32 = 31),
     * TMOD = 3 (EEPROM read: send command + address, then receive). */
    .equ CTRLR0_XIP_03H,  (31 << 16) | (3 << 8)
    /* SPI_CTRLR0: XIP_CMD = 03h, INST_L = 2 (8-bit instruction),
     * ADDR_L = 6 (24-bit address), no wait cycles, all in standard SPI. */
    .equ SPI_CTRLR0_03H,  (0x03 << 24) | (2 << 8) | (6 << 2)
    /* SCK = clk_sys / 4: at most 31.25 MHz once clk_sys runs at 125 MHz,
     * inside the 50 MHz that 03h reads allow on common flash parts. */
    .equ SSI_CLKDIV,      4
    .equ VECTOR_TABLE,    0x10000100
    .equ SCB_VTOR,        0xe000ed08

    .section .boot2.code, "ax"
    .global casyncio_boot2_entry
    .type casyncio_boot2_entry, %function
    .thumb_func
casyncio_boot2_entry:
    ldr  r3, =SSI_BASE
    movs r1, #0
    str  r1, [r3, #SSI_SSIENR]      /* the SSI ignores set-up while enabled */
    str  r1, [r3, #SSI_CTRLR1]      /* NDF = 0: one data frame per XIP access */
    movs r1, #SSI_CLKDIV
    str  r1, [r3, #SSI_BAUDR]
    ldr  r1, =CTRLR0_XIP_03H
    str  r1, [r3, #SSI_CTRLR0]
    ldr  r1, =SPI_CTRLR0_03H
    movs r2, #SSI_SPI_CTRLR0        /* offset beyond the str immediate range */
    str  r1, [r3, r2]
    movs r1, #1
    str  r1, [r3, #SSI_SSIENR]

    /* lr != 0: called as a subroutine (to restore XIP after flash
     * programming); return to the caller. */
    mov  r0, lr
    cmp  r0, #0
    beq  start_image
    bx   lr

start_image:
    /* As the boot ROM would for a vector table: VTOR, MSP, reset handler. */
    ldr  r0, =VECTOR_TABLE
    ldr  r1, =SCB_VTOR
    str  r0, [r1]
    ldmia r0!, {r1, r2}
    msr  msp, r1
    bx   r2

/* ---- void rp2040_clocks_init(void) ----------------------------------------
 * Clock tree and reset releases for a Pico: 12 MHz crystal -> clk_ref,
 * PLL_SYS at 125 MHz -> clk_sys -> clk_peri, and a 1 MHz tick for the
 * TIMER; then the peripherals the port drives leave reset.
 *
 * Not part of the boot: the reset handler calls it, from flash, so that an
 * image a debugger starts at its entry point gets its clocks too. An AAPCS
 * function (r4, r5 and lr saved). The emulator reports every reset as done
 * and every oscillator as stable at once, so the waits only matter on real
 * hardware; each step follows the order the RP2040 datasheet requires.
 * Every instruction counts here: the boot loader and this fill the 252
 * bytes before the CRC. */
    .equ CLOCKS_BASE,        0x40008000
    .equ CLK_REF_CTRL,       0x30
    .equ CLK_REF_DIV,        0x34
    .equ CLK_REF_SELECTED,   0x38
    .equ CLK_SYS_CTRL,       0x3c
    .equ CLK_SYS_DIV,        0x40
    .equ CLK_SYS_SELECTED,   0x44
    .equ CLK_PERI_CTRL,      0x48
    .equ CLK_SYS_RESUS_CTRL, 0x78
    .equ ALIAS_CLR,          0x3000 /* writes clear the bits written */
    .equ RESETS_BASE,        0x4000c000
    .equ RESETS_RESET_DONE,  0x08
    .equ RESET_PLL_SYS,      1 << 12
    /* The peripherals the port drives: IO_BANK0, PADS_BANK0, TIMER, UART0.
     * Asserting a reset first gives each a known state whatever ran before
     * (the boot ROM, a debugger, a soft reset). */
    .equ RESETS_USED,        (1 << 5) | (1 << 8) | (1 << 21) | (1 << 22)
    .equ XOSC_BASE,          0x40024000
    .equ XOSC_CTRL,          0x00
    .equ XOSC_STATUS,        0x04  /* bit 31: stable */
    .equ XOSC_STARTUP,       0x0c
    /* Range 1-15 MHz (0xaa0), enable (0xfab << 12): one write. */
    .equ XOSC_CTRL_ON,       (0xfab << 12) | 0xaa0
    /* In units of 256 crystal cycles: about 1 ms at 12 MHz. */
    .equ XOSC_STARTUP_DELAY, (12000 + 128) / 256
    .equ PLL_SYS_BASE,       0x40028000
    .equ PLL_CS,             0x00  /* bit 31: locked; REFDIV 1 after reset */
    .equ PLL_PWR,            0x04
    .equ PLL_FBDIV_INT,      0x08
    .equ PLL_PRIM,           0x0c
    /* 12 MHz / REFDIV 1 * FBDIV 125 = 1500 MHz VCO (range 750..1600 MHz),
     * then / POSTDIV1 6 / POSTDIV2 2 = 125 MHz. */
    .equ PLL_SYS_FBDIV,      125
    .equ PLL_PRIM_6_2,       (6 << 16) | (2 << 12)
    /* PWR after reset is PD | DSMPD | POSTDIVPD | VCOPD (0x2d): first PD
     * and VCOPD go (the VCO runs), then POSTDIVPD (the output runs). */
    .equ PLL_PWR_VCO_ON,     (1 << 3) | (1 << 2)
    .equ PLL_PWR_ALL_ON,     (1 << 2)
    /* The watchdog tick generator divides clk_ref (12 MHz) down to the
     * 1 MHz tick that the TIMER counts: 12 cycles, enabled (bit 9). */
    .equ WATCHDOG_TICK,      0x4005802c
    .equ WATCHDOG_TICK_1MHZ, 12 | (1 << 9)

    .global rp2040_clocks_init
    .type rp2040_clocks_init, %function
    .thumb_func
rp2040_clocks_init:
    push {r4, r5, lr}
    ldr  r4, =CLOCKS_BASE
    ldr  r5, =RESETS_BASE
    movs r0, #0
    str  r0, [r4, #CLK_SYS_RESUS_CTRL]
    /* XOSC: the start-up delay first, then range and enable. */
    ldr  r2, =XOSC_BASE
    movs r0, #XOSC_STARTUP_DELAY
    str  r0, [r2, #XOSC_STARTUP]
    ldr  r0, =XOSC_CTRL_ON
    str  r0, [r2, #XOSC_CTRL]
1:  ldr  r0, [r2, #XOSC_STATUS]
    cmp  r0, #0
    bge  1b
    /* clk_sys leaves the PLL (SRC cleared: clk_ref) before the PLL is
     * reset. clk_ref and clk_sys have glitchless muxes: a switch has taken
     * effect when SELECTED shows the new source (one-hot). */
    ldr  r2, =CLOCKS_BASE + ALIAS_CLR
    movs r1, #1
    str  r1, [r2, #CLK_SYS_CTRL]
2:  ldr  r0, [r4, #CLK_SYS_SELECTED]
    tst  r0, r1
    beq  2b
    /* Dividers of clk_ref and clk_sys 1 (both change glitchlessly), then
     * clk_ref from the XOSC (SRC 2). */
    lsls r0, r1, #8
    str  r0, [r4, #CLK_REF_DIV]
    str  r0, [r4, #CLK_SYS_DIV]
    movs r0, #2
    str  r0, [r4, #CLK_REF_CTRL]
    movs r1, #1 << 2
3:  ldr  r0, [r4, #CLK_REF_SELECTED]
    tst  r0, r1
    beq  3b
    /* PLL_SYS from reset: FBDIV, the VCO on, lock, post dividers, output on. */
    movs r0, #1
    lsls r0, r0, #12                /* RESET_PLL_SYS */
    bl   resets_cycle
    ldr  r2, =PLL_SYS_BASE
    movs r0, #PLL_SYS_FBDIV
    str  r0, [r2, #PLL_FBDIV_INT]
    movs r0, #PLL_PWR_VCO_ON
    str  r0, [r2, #PLL_PWR]
4:  ldr  r0, [r2, #PLL_CS]
    cmp  r0, #0
    bge  4b
    movs r0, #PLL_PRIM_6_2 >> 12
    lsls r0, r0, #12
    str  r0, [r2, #PLL_PRIM]
    movs r0, #PLL_PWR_ALL_ON
    str  r0, [r2, #PLL_PWR]
    /* The aux mux behind clk_sys is not glitchless: choose PLL_SYS (AUXSRC
     * 0) while clk_sys runs from clk_ref, then select the aux input. */
    movs r0, #0
    str  r0, [r4, #CLK_SYS_CTRL]
    movs r1, #1
    str  r1, [r4, #CLK_SYS_CTRL]
    movs r1, #1 << 1
5:  ldr  r0, [r4, #CLK_SYS_SELECTED]
    tst  r0, r1
    beq  5b
    /* clk_peri has no glitchless mux: stopped while its source is chosen
     * (clk_sys, AUXSRC 0; the peripherals it clocks leave reset last), then
     * enabled (bit 11). */
    movs r0, #0
    str  r0, [r4, #CLK_PERI_CTRL]
    lsls r0, r1, #10
    str  r0, [r4, #CLK_PERI_CTRL]
    ldr  r2, =WATCHDOG_TICK
    movs r0, #WATCHDOG_TICK_1MHZ >> 2
    lsls r0, r0, #2
    str  r0, [r2]
    /* UART0 leaves reset only with clk_peri running, so this comes last. */
    ldr  r0, =RESETS_USED
    bl   resets_cycle
    pop  {r4, r5, pc}

/* Asserts, then releases the resets in r0 (r5: RESETS_BASE) and waits until
 * they are done. Nothing else writes RESETS meanwhile (one core runs). */
resets_cycle:
    ldr  r1, [r5]
    orrs r1, r0
    str  r1, [r5]
    bics r1, r0
    str  r1, [r5]
6:  ldr  r1, [r5, #RESETS_RESET_DONE]
    ands r1, r0
    cmp  r1, r0
    bne  6b
    bx   lr

    .ltorg
