/*
 * Wi-Fi on the Pico W, for programs linking casyncio_lwip on pico-sdk
 * (PICO_BOARD=pico_w): the chip runs under the loop (see asyncio_lwip.h),
 * after the program has called pico-sdk's cyw43_arch_init() once.
 */
#ifndef ASYNCIO_WIFI_H
#define ASYNCIO_WIFI_H

#include <stdint.h>

#include "asyncio_lwip.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Joins the network `ssid` as a station (WPA2 with `password`; NULL or ""
 * for an open network) and waits until the link has an IPv4 address
 * (DHCP). Starts the lwIP service on the running loop. Suspends: the other
 * tasks run meanwhile (the link is checked every 100 ms). Returns 0 once
 * the link is up, or -ETIMEDOUT after timeout_ms, -EACCES (wrong
 * password), -ENETUNREACH (no such network), -ECONNREFUSED (the join
 * failed), -EIO (the chip refused to start), -EINVAL (ssid NULL or empty), -EPERM
 * outside a task, -ECANCELED. */
int asyncio_wifi_join(const char *ssid, const char *password, uint32_t timeout_ms);

#ifdef __cplusplus
}
#endif
#endif
