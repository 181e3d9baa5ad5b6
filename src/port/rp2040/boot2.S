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
 * The build assembles this file alone, pads it to 252 bytes and appends the
 * CRC (tools/boot2_crc.mjs); the firmware links that patched copy.
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
    movs r1, #SSI_CLKDIV
    str  r1, [r3, #SSI_BAUDR]
    ldr  r1, =CTRLR0_XIP_03H
    str  r1, [r3, #SSI_CTRLR0]
    movs r1, #0
    str  r1, [r3, #SSI_CTRLR1]      /* NDF = 0: one data frame per XIP access */
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

    .ltorg
