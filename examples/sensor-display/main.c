/*
 * The sensor-display program on the Pico (app.c has the program itself).
 */
#include "app.h"
#include "asyncio.h"

int main(void) {
    asyncio_loop_t *loop = asyncio_get_event_loop();
    asyncio_task_detach(asyncio_loop_create_task(loop, app_main, NULL));
    asyncio_loop_run_forever(loop);
    return 0;
}
