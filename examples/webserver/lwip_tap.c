/*
 * The LED web server on the host over lwIP instead of the kernel's TCP: an
 * lwIP interface on a TAP device, then main.c's own main (included here as
 * webserver_main), unchanged. The device and the host's side of it are set
 * up beforehand, e.g. as root:
 *
 *   ip tuntap add dev casy0 mode tap
 *   ip addr add 10.1.0.1/24 dev casy0 && ip link set casy0 up
 *   webserver_lwip_tap --host 10.1.0.2 --port 8080     # http://10.1.0.2:8080/
 *
 * WEBSERVER_TAP names the device (default casy0), WEBSERVER_TAP_ADDR lwIP's
 * address on it (default 10.1.0.2/24, the host 10.1.0.1).
 */
#define main webserver_main
#include "main.c"
#undef main

#include "asyncio_lwip.h"

int main(int argc, char **argv) {
    const char *dev = getenv("WEBSERVER_TAP") ? getenv("WEBSERVER_TAP") : "casy0";
    const char *addr = getenv("WEBSERVER_TAP_ADDR") ? getenv("WEBSERVER_TAP_ADDR") : "10.1.0.2";
    int err = asyncio_lwip_tap_up(dev, addr, "255.255.255.0", NULL);
    if (err) {
        fprintf(stderr, "webserver: no TAP device %s: %s\n", dev, strerror(-err));
        return 1;
    }
    return webserver_main(argc, argv);
}
