/* What the lwIP tests share: running a test body on a loop with virtual
 * time, over the two interfaces wired back to back. */
#ifndef CASYNCIO_LWIP_TEST_H
#define CASYNCIO_LWIP_TEST_H

#include <stdlib.h>

#include "asyncio.h"
#include "asyncio_lwip.h"
#include "asyncio_stream.h"

#include "../check.h" /* after asyncio.h: its run_virtual() needs it */

static inline bool under_valgrind(void) { return getenv("CASYNCIO_UNDER_VALGRIND") != NULL; }

/* Runs main(arg) on a new loop with virtual time (lwIP's timers follow
 * it), over the wired interfaces; returns main's result. */
static inline int run_on_wire(asyncio_coro_fn main, void *arg) {
    CHECK_EQ(asyncio_lwip_wire_up(), 0);
    return run_virtual(main, arg);
}

#endif
