/*
 * Start-up of the pico-sdk test firmware: stdio on UART0 (where the
 * emulator listens), then the test's main(), compiled as test_main(). The
 * exit status goes to the console as the bare-metal runtime writes it
 * ("casyncio: exit N"), whether main() returns or something calls exit().
 */
#include <stdio.h>
#include <stdlib.h>

#include "hardware/sync.h"
#include "pico/stdlib.h"

int test_main(void);

/* pico-sdk's own _exit() stops at a breakpoint; this one says why first. */
_Noreturn void _exit(int status) {
    printf("casyncio: exit %d\n", status);
    stdio_flush();
    for (;;) __wfi();
}

int main(void) {
    stdio_init_all();
    exit(test_main());
}
