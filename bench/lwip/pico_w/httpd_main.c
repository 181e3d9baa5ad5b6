/* pico-sdk's way to serve a page from a Pico W, for comparison: lwIP's
 * httpd (its built-in pages) in a polled main loop. */
#include <stdio.h>

#include "lwip/apps/httpd.h"
#include "pico/cyw43_arch.h"
#include "pico/stdlib.h"

int main(void) {
    stdio_init_all();
    if (cyw43_arch_init() != 0) return 1;
    cyw43_arch_enable_sta_mode();
    if (cyw43_arch_wifi_connect_timeout_ms(WIFI_SSID, WIFI_PASSWORD, CYW43_AUTH_WPA2_AES_PSK,
                                           30000) != 0)
        return 1;
    httpd_init();
    for (;;) {
        cyw43_arch_poll();
        cyw43_arch_wait_for_work_until(make_timeout_time_ms(1000));
    }
}
