/*
 * The Pico W's Wi-Fi chip (CYW43439) under the loop, through pico-sdk's
 * cyw43_arch in poll mode (pico_cyw43_arch_lwip_poll). The program calls
 * cyw43_arch_init() before the loop runs (it initialises the chip and
 * lwIP); the lwIP service task then calls cyw43_arch_poll() every round
 * (the chip's driver and lwIP's timers run there) and sleeps until the chip
 * raises its interrupt line, or for at most ASYNCIO_CYW43_POLL_MS. A raw
 * GPIO handler, ahead of the driver's own, sees the line and signals a
 * deferred record; in loop context that record wakes the service.
 *
 * Poll mode rather than background mode: the driver and lwIP then run only
 * in loop context, never in an interrupt handler, so the TCP transport
 * needs no lock around lwIP's raw API (which is safe from one context only).
 */
#include "hardware/gpio.h"
#include "hardware/irq.h"
#include "pico/cyw43_arch.h"

#include "../lwip_internal.h"
#include "asyncio_wifi.h"

/* The longest the service sleeps without polling the driver (its own
 * timers, power saving). The chip's interrupt wakes it sooner. */
#ifndef ASYNCIO_CYW43_POLL_MS
#define ASYNCIO_CYW43_POLL_MS 50u
#endif

static driver_deferred_t chip_signal;
static struct lwip_input chip_input;

/* Interrupt context: the chip has work for the driver. */
static void chip_irq(void) {
    if (gpio_get_irq_event_mask(CYW43_PIN_WL_HOST_WAKE) & GPIO_IRQ_LEVEL_HIGH)
        driver_deferred_signal(&chip_signal);
}

static void chip_signalled(driver_deferred_t *d) {
    (void)d;
    lwip_service_wake();
}

static bool chip_poll(struct lwip_input *in) {
    (void)in;
    cyw43_arch_poll();
    return false; /* frames were handed to lwIP inside: nothing queued here */
}

static void chip_attach(struct lwip_input *in, asyncio_loop_t *loop) {
    (void)in;
    static bool irq_added;
    driver_deferred_add(loop, &chip_signal);
    if (!irq_added) {
        irq_added = true; /* before the driver's handler, which masks the line */
        gpio_add_raw_irq_handler_with_order_priority(
            CYW43_PIN_WL_HOST_WAKE, chip_irq, PICO_SHARED_IRQ_HANDLER_HIGHEST_ORDER_PRIORITY);
    }
}

void lwip_stack_init(void) {
    if (chip_input.run) return;
    chip_signal.fn = chip_signalled;
    chip_input.run = chip_poll;
    chip_input.attach = chip_attach;
    chip_input.max_sleep_us = ASYNCIO_CYW43_POLL_MS * 1000u;
    lwip_service_add_input(&chip_input);
}

int asyncio_wifi_join(const char *ssid, const char *password, uint32_t timeout_ms) {
    if (!asyncio_current_task()) return -EPERM;
    if (!ssid || !*ssid) return -EINVAL;
    int err = asyncio_lwip_init();
    if (err) return err;
    cyw43_arch_enable_sta_mode();
    bool open = !password || !*password;
    if (cyw43_arch_wifi_connect_async(ssid, open ? NULL : password,
                                      open ? CYW43_AUTH_OPEN : CYW43_AUTH_WPA2_AES_PSK) != 0)
        return -EIO;
    asyncio_timeout_t scope;
    asyncio_timeout_enter_ms(&scope, timeout_ms);
    for (;;) {
        int status = cyw43_tcpip_link_status(&cyw43_state, CYW43_ITF_STA);
        if (status == CYW43_LINK_UP) {
            err = 0;
            break;
        }
        if (status == CYW43_LINK_BADAUTH || status == CYW43_LINK_NONET ||
            status == CYW43_LINK_FAIL) {
            err = status == CYW43_LINK_BADAUTH ? -EACCES
                  : status == CYW43_LINK_NONET ? -ENETUNREACH
                                               : -ECONNREFUSED;
            break;
        }
        err = asyncio_sleep_ms(100);
        if (err) break;
    }
    asyncio_timeout_exit(&scope);
    return err;
}
