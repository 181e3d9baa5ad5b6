/*
 * The USB serial stream beyond one line at a time: the emulator's host
 * sends "go"; the firmware writes 100 numbered lines (4,000 bytes, many
 * times TinyUSB's TX FIFO, so the stream queues what does not fit and sends
 * it as transfers complete), drains, says so with printf beside the stream,
 * then reads an exact count of bytes and echoes them back, and closes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "asyncio.h"
#include "asyncio_stream.h"

#define LINES 100

static int talk(void *arg) {
    (void)arg;
    asyncio_stream_t *usb = asyncio_stream_usb_cdc();
    if (!usb) return 1;
    if (asyncio_stream_usb_cdc() || errno != EBUSY) return 2;
    char line[64];
    ssize_t n = asyncio_stream_readline(usb, line, sizeof line);
    if (n != 3 || memcmp(line, "go\n", 3) != 0) return 3;
    for (int i = 0; i < LINES; i++) {
        int len = snprintf(line, sizeof line, "line %03d abcdefghijklmnopqrstuvwxyz0123\n", i);
        if (asyncio_stream_write(usb, line, (size_t)len) != len) return 4;
    }
    if (asyncio_stream_drain(usb) != 0) return 5;
    printf("drained\n");
    char exact[10];
    if (asyncio_stream_readexactly(usb, exact, sizeof exact) != (ssize_t)sizeof exact) return 6;
    asyncio_stream_write(usb, "echo ", 5);
    asyncio_stream_write(usb, exact, sizeof exact);
    asyncio_stream_write(usb, "\n", 1);
    return asyncio_stream_close(usb) == 0 ? 0 : 7;
}

int main(void) {
    asyncio_task_opts_t opts = {.name = "talk", .stack_size = 4096};
    asyncio_task_t *t = asyncio_create_task_ex(talk, NULL, &opts);
    int r = asyncio_loop_run_until_complete(asyncio_get_event_loop(), t);
    printf("result %d\n", r);
    return r;
}
