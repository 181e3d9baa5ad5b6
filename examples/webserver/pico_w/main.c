/*
 * The LED web server on a Pico W: the start-up of examples/webserver for
 * the board. It brings the Wi-Fi chip up, joins WIFI_SSID (a build-time
 * define) within 30 s while the LEDs already blink, then serves the page
 * on port 80 of the address DHCP gave (printed on the USB serial port) to
 * up to four clients at once; a fifth gets 503.
 */
#include <stdio.h>
#include <string.h>

#include "pico/cyw43_arch.h"
#include "pico/stdlib.h"

#include "app.h"
#include "asyncio_wifi.h"
#include "lwip/netif.h"

#define JOIN_TIMEOUT_MS 30000u

/* The client limit (app.h): four browsers with their event streams, and the
 * PCBs lwIP's pools keep beside them for a 503 (src/net/lwip/lwipopts.h). */
unsigned webapp_default_max_clients(void) { return 4; }

static int main_task(void *arg) {
    (void)arg;
    printf("webserver: joining \"%s\"\n", WIFI_SSID);
    int err = asyncio_wifi_join(WIFI_SSID, WIFI_PASSWORD, JOIN_TIMEOUT_MS);
    if (err) { /* -EINVAL: built without -DWIFI_SSID=... */
        printf("webserver: cannot join \"%s\": %s\n", WIFI_SSID, strerror(-err));
        return err;
    }
    printf("webserver: on http://%s/\n", ip4addr_ntoa(netif_ip4_addr(netif_default)));
    webapp_config_t cfg = {.host = "0.0.0.0", .port = 80}; /* max_clients: the default */
    webapp_t *app;
    err = webapp_start(&cfg, &app);
    if (err) {
        printf("webserver: cannot listen: %s\n", strerror(-err));
        return err;
    }
    while (asyncio_sleep(3600) == 0) {
    }
    return webapp_stop(app, 1000); /* cancelled */
}

int main(void) {
    stdio_init_all();
    if (cyw43_arch_init() != 0) {
        printf("webserver: the Wi-Fi chip does not answer\n");
        return 1;
    }
    return asyncio_run(main_task, NULL) < 0 ? 1 : 0;
}
