/*
 * The RP2 I2C driver in a pico-sdk program (check.mjs i2c_read), beside the
 * program's own use of the chip: the program runs clk_sys at half the PLL's
 * rate and claims DMA channels 0..4 for itself before any driver starts.
 * A task then reads a BMP280-like sensor's chip id register (0x58 at 0xd0)
 * and its 6-byte measurement (0xf7..) from the device model the check
 * attaches to I2C0 (SCL GPIO 5, SDA GPIO 4), and SPI0 takes two more DMA
 * channels beside the program's. Prints one line per step; the check
 * compares them, the bytes on the bus and the controller's SCL timing with
 * what should have happened.
 */
#include <stdio.h>

#include "asyncio.h"
#include "hardware/clocks.h"
#include "hardware/dma.h"
#include "machine.h"

#define SENSOR 0x76
#define PROGRAM_CHANNELS 0x1fu /* DMA channels 0..4, the program's own */

static unsigned claimed_channels(void) {
    unsigned n = 0;
    for (unsigned ch = 0; ch < NUM_DMA_CHANNELS; ch++) n += dma_channel_is_claimed(ch);
    return n;
}

static bool program_channels_kept(void) {
    for (unsigned ch = 0; ch < NUM_DMA_CHANNELS; ch++)
        if ((PROGRAM_CHANNELS >> ch & 1u) && !dma_channel_is_claimed(ch)) return false;
    return true;
}

static int read_sensor(void *arg) {
    (void)arg;
    machine_i2c_t bus;
    int r = machine_i2c_init(&bus, 0, 5, 4, 400000);
    uint8_t id = 0, m[6] = {0};
    int n_id = machine_i2c_readfrom_mem(&bus, SENSOR, 0xd0, 8, &id, 1);
    int n_m = machine_i2c_readfrom_mem(&bus, SENSOR, 0xf7, 8, m, sizeof m);
    printf("i2c init %d chip id %d %02x measurement %d %02x %02x %02x %02x %02x %02x\n", r, n_id,
           id, n_m, m[0], m[1], m[2], m[3], m[4], m[5]);
    machine_spi_t spi;
    r = machine_spi_init(&spi, 0, 1000000, 0, 18, 19, 16);
    printf("spi init %d, dma channels claimed %u, program's still %s\n", r, claimed_channels(),
           program_channels_kept() ? "its" : "lost");
    return r == 0 && n_id == 1 && n_m == 6 ? 0 : 1;
}

int main(void) {
    uint32_t pll = clock_get_hz(clk_sys);
    clock_configure(clk_sys, CLOCKS_CLK_SYS_CTRL_SRC_VALUE_CLKSRC_CLK_SYS_AUX,
                    CLOCKS_CLK_SYS_CTRL_AUXSRC_VALUE_CLKSRC_PLL_SYS, pll, pll / 2u);
    printf("clk_sys %lu\n", (unsigned long)clock_get_hz(clk_sys));
    dma_claim_mask(PROGRAM_CHANNELS);
    return asyncio_run(read_sensor, NULL);
}
