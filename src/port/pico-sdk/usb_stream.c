/*
 * A stream over the USB serial port (CDC interface 0), for programs built
 * with pico-sdk's stdio_usb: the SDK brings the USB device up (TinyUSB, its
 * descriptors, the background task that runs tud_task() from an interrupt)
 * and printf keeps writing to the same port; this transport reads and
 * writes the CDC interface with TinyUSB's tud_cdc_n_* calls.
 *
 * Notifications: the SDK's chars-available callback (from its background
 * task, when bytes are waiting) and TinyUSB's tud_cdc_tx_complete_cb (a
 * transfer to the host finished: room in the TX FIFO) each signal a
 * deferred record; in loop context it tells the stream. TinyUSB calls are
 * made with interrupts masked on this core, where the SDK's background task
 * runs as an interrupt, so the two never interleave.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../core/stream_transport.h"
#include "pico/stdio.h"
#include "tusb.h"

#define USB_ITF 0u

static struct {
    driver_deferred_t deferred;
    asyncio_stream_t *stream; /* NULL while closed */
} usb;

static void usb_saw(driver_deferred_t *d) {
    (void)d;
    if (!usb.stream) return;
    stream_notify_readable(usb.stream, 0);
    stream_notify_writable(usb.stream, 0);
}

/* From the SDK's USB background task (an interrupt): bytes are waiting. */
static void usb_chars_available(void *param) {
    (void)param;
    driver_deferred_signal(&usb.deferred);
}

/* TinyUSB, from the same background task: a transfer to the host is done. */
void tud_cdc_tx_complete_cb(uint8_t itf) {
    if (itf == USB_ITF && usb.stream) driver_deferred_signal(&usb.deferred);
}

/* The stream is about to wait: the record must be on the waiting task's
 * loop (the first wait adds it; later ones find it there). */
static void usb_listen(void) { driver_deferred_add(asyncio_get_event_loop(), &usb.deferred); }

static ssize_t usb_read_some(asyncio_stream_t *s, void *buf, size_t n) {
    (void)s;
    uint32_t state = port_critical_enter();
    uint32_t got = tud_cdc_n_available(USB_ITF) ? tud_cdc_n_read(USB_ITF, buf, (uint32_t)n) : 0u;
    port_critical_exit(state);
    if (got) return (ssize_t)got;
    usb_listen();
    return -EAGAIN;
}

/* Without a terminal on the other end (no DTR), bytes are dropped, as the
 * SDK drops printf's: a board on a charger must not fill its RAM. */
static ssize_t usb_write_some(asyncio_stream_t *s, const void *buf, size_t n) {
    (void)s;
    uint32_t state = port_critical_enter();
    uint32_t put = (uint32_t)n;
    if (tud_cdc_n_connected(USB_ITF)) {
        put = tud_cdc_n_write(USB_ITF, buf, (uint32_t)n);
        tud_cdc_n_write_flush(USB_ITF);
    }
    port_critical_exit(state);
    if (put) return (ssize_t)put;
    usb_listen();
    return -EAGAIN;
}

/* Every byte accepted has been handed to the USB controller. */
static int usb_sent_all(asyncio_stream_t *s) {
    (void)s;
    uint32_t state = port_critical_enter();
    bool empty = !tud_cdc_n_connected(USB_ITF) ||
                 tud_cdc_n_write_available(USB_ITF) >= CFG_TUD_CDC_TX_BUFSIZE;
    port_critical_exit(state);
    if (empty) return 1;
    usb_listen();
    return 0;
}

static size_t usb_buffered(const asyncio_stream_t *s) {
    (void)s;
    return tud_cdc_n_available(USB_ITF);
}

static void usb_close(asyncio_stream_t *s) {
    (void)s;
    stdio_set_chars_available_callback(NULL, NULL);
    usb.stream = NULL;
}

static const stream_transport_ops_t usb_ops = {
    .read_some = usb_read_some,
    .write_some = usb_write_some,
    .sent_all = usb_sent_all,
    .buffered = usb_buffered,
    .close = usb_close,
};

asyncio_stream_t *asyncio_stream_usb_cdc(void) {
    if (usb.stream) {
        errno = EBUSY;
        return NULL;
    }
    asyncio_stream_t *s = stream_new(NULL, &usb_ops, NULL); /* serves the loop of its reader */
    if (!s) return NULL;
    usb.deferred.fn = usb_saw;
    usb.stream = s;
    stdio_set_chars_available_callback(usb_chars_available, NULL);
    return s;
}
