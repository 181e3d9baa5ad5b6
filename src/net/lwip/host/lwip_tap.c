/*
 * An lwIP Ethernet interface over a Linux TAP device (host only): lwIP
 * then talks to the host's own TCP/IP stack, so a browser or any socket
 * program on the host reaches a server running over lwIP.
 *
 * Frames lwIP sends are written to the device at once (it never blocks for
 * long: the kernel queues them). Frames the host sends are read by a task
 * of the loop the lwIP service runs on, which waits for the device to be
 * readable (asyncio_wait_readable) and hands each frame to lwIP's Ethernet
 * input (ARP and IPv4).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../lwip_internal.h"

#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"

#define FRAME_MAX 1518u

static struct {
    int fd;
    struct netif netif;
    struct lwip_input input;
    asyncio_task_t *reader;
} tap = {.fd = -1};

static err_t tap_linkoutput(struct netif *n, struct pbuf *p) {
    (void)n;
    unsigned char frame[FRAME_MAX];
    if (p->tot_len > sizeof frame) return ERR_BUF;
    u16_t len = pbuf_copy_partial(p, frame, p->tot_len, 0);
    return write(tap.fd, frame, len) == (ssize_t)len ? ERR_OK : ERR_IF;
}

static err_t tap_netif_init(struct netif *n) {
    static const u8_t mac[6] = {0x02, 0xca, 0x59, 0x6e, 0x63, 0x01}; /* locally administered */
    n->name[0] = 't';
    n->name[1] = 'p';
    n->output = etharp_output;
    n->linkoutput = tap_linkoutput;
    n->mtu = 1500;
    n->hwaddr_len = 6;
    memcpy(n->hwaddr, mac, 6);
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
    return ERR_OK;
}

/* The reader task: every frame the host sends, to lwIP, until cancelled. */
static int tap_reader(void *arg) {
    (void)arg;
    unsigned char frame[FRAME_MAX];
    for (;;) {
        ssize_t n = read(tap.fd, frame, sizeof frame);
        if (n > 0) {
            struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)n, PBUF_POOL);
            if (!p) continue; /* dropped, as a full driver would */
            pbuf_take(p, frame, (u16_t)n);
            if (tap.netif.input(p, &tap.netif) != ERR_OK) pbuf_free(p);
            lwip_service_poke();
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR) break;
        if (asyncio_wait_readable(tap.fd) < 0) break;
    }
    tap.reader = NULL;
    return 0;
}

static void tap_attach(struct lwip_input *in, asyncio_loop_t *loop) {
    (void)in;
    asyncio_task_opts_t opts = {.name = "lwip-tap"};
    (void)loop; /* the running or default loop, which the service just attached to */
    tap.reader = asyncio_create_task_ex(tap_reader, NULL, &opts);
    if (tap.reader) asyncio_task_detach(tap.reader);
}

static bool tap_run(struct lwip_input *in) {
    (void)in;
    return false; /* the reader task delivers */
}

int asyncio_lwip_tap_up(const char *ifname, const char *addr, const char *netmask,
                        const char *gateway) {
    ip4_addr_t ip, mask, gw;
    if (!ifname || strlen(ifname) >= IFNAMSIZ || !addr || !ip4addr_aton(addr, &ip) || !netmask ||
        !ip4addr_aton(netmask, &mask))
        return -EINVAL;
    ip4_addr_set_zero(&gw);
    if (gateway && !ip4addr_aton(gateway, &gw)) return -EINVAL;
    if (tap.fd >= 0) return -EBUSY;
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return -errno;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    memcpy(ifr.ifr_name, ifname, strlen(ifname));
    if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
        int err = -errno;
        close(fd);
        return err;
    }
    lwip_stack_init();
    tap.fd = fd;
    if (!netif_add(&tap.netif, &ip, &mask, &gw, NULL, tap_netif_init, ethernet_input)) {
        close(fd);
        tap.fd = -1;
        return -ENOMEM;
    }
    netif_set_default(&tap.netif);
    netif_set_up(&tap.netif);
    tap.input.run = tap_run;
    tap.input.attach = tap_attach;
    lwip_service_add_input(&tap.input);
    return 0;
}
