#define _DEFAULT_SOURCE
/* The blink example itself (examples/blink/main.c, built in unchanged),
 * run for ten virtual minutes: every toggle at its exact time. */
#include <stdlib.h>

#include "asyncio.h"
#include "check.h"
#include "machine.h"

int blink_main(void);

static void stop_cb(void *loop) { asyncio_loop_stop(loop); }

static void test_blink_counts_in_virtual_time(void) {
    setenv("ASYNCIO_VIRTUAL_TIME", "1", 1);
    machine_pin_sim_reset();
    asyncio_loop_t *loop = asyncio_get_event_loop();
    asyncio_loop_call_later_ms(loop, 600001, stop_cb, loop);
    blink_main(); /* returns when the loop stops */
    CHECK_EQ(asyncio_loop_time_us(loop), 600001000ull);
    /* In 600,001 ms from t = 0: GPIO 20 toggles at 0, 2 s, ..., 600 s and
     * GPIO 19 at 0, 0.5 s, ..., 600 s. */
    CHECK_EQ(machine_pin_sim_changes(20), 301);
    CHECK_EQ(machine_pin_sim_changes(19), 1201);
    unsigned exact20 = 0, exact19 = 0;
    for (unsigned i = 0; i < 301; i++)
        exact20 += machine_pin_sim_change_time(20, i) == i * 2000000ull;
    for (unsigned i = 0; i < 1201; i++)
        exact19 += machine_pin_sim_change_time(19, i) == i * 500000ull;
    CHECK_EQ(exact20, 301);
    CHECK_EQ(exact19, 1201);
    asyncio_loop_close(loop);
    machine_pin_sim_reset();
}

int main(void) {
    RUN(test_blink_counts_in_virtual_time);
    return check_summary();
}
