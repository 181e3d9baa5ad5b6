/*
 * Two lwIP interfaces wired back to back in one process (host tests and
 * benchmarks): what one sends is copied into a frame and queued; the
 * service task hands queued frames to the other interface's input, in
 * order. A frame is copied into lwIP's receive pool, as a driver's are: when
 * the pool is empty it is dropped (and TCP sends it again). Point to point IPv4, no link layer (no
 * ARP), MTU 1500.
 */
#include <stdlib.h>

#include "lwip_internal.h"

#include "lwip/ip.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"

struct frame {
    struct frame *next;
    struct netif *to;
    struct pbuf *p;
};

static struct {
    bool up;
    struct netif a, b;
    struct frame *head, *tail;
    unsigned long frames;
    struct lwip_input input;
} wire;

static err_t wire_output(struct netif *from, struct pbuf *p, const ip4_addr_t *dst) {
    (void)dst;
    struct frame *f = malloc(sizeof *f);
    /* from the receive pool, as a network driver's frames are */
    struct pbuf *copy = f ? pbuf_alloc(PBUF_RAW, p->tot_len, PBUF_POOL) : NULL;
    if (!copy || pbuf_copy(copy, p) != ERR_OK) {
        if (copy) pbuf_free(copy);
        free(f);
        return ERR_MEM;
    }
    f->next = NULL;
    f->to = from == &wire.a ? &wire.b : &wire.a;
    f->p = copy;
    if (wire.tail)
        wire.tail->next = f;
    else
        wire.head = f;
    wire.tail = f;
    wire.frames++;
    lwip_service_wake();
    return ERR_OK;
}

/* Delivers the frames queued so far (those their delivery queues wait for
 * the next round). */
static bool wire_run(struct lwip_input *in) {
    (void)in;
    struct frame *f = wire.head;
    if (!f) return false;
    wire.head = wire.tail = NULL;
    while (f) {
        struct frame *next = f->next;
        if (f->to->input(f->p, f->to) != ERR_OK) pbuf_free(f->p);
        free(f);
        f = next;
    }
    return true;
}

static err_t wire_netif_init(struct netif *n) {
    n->name[0] = 'w';
    n->name[1] = n == &wire.a ? 'a' : 'b';
    n->output = wire_output;
    n->mtu = 1500;
    n->flags = NETIF_FLAG_LINK_UP;
    return ERR_OK;
}

static int wire_add(struct netif *n, const char *addr) {
    ip4_addr_t ip, mask, gw;
    ip4addr_aton(addr, &ip);
    IP4_ADDR(&mask, 255, 255, 255, 0);
    ip4_addr_set_zero(&gw);
    if (!netif_add(n, &ip, &mask, &gw, NULL, wire_netif_init, ip_input)) return -ENOMEM;
    netif_set_up(n);
    return 0;
}

int asyncio_lwip_wire_up(void) {
    if (wire.up) return 0;
    lwip_stack_init();
    int err = wire_add(&wire.b, ASYNCIO_LWIP_WIRE_B);
    if (!err) err = wire_add(&wire.a, ASYNCIO_LWIP_WIRE_A); /* added last: routes first */
    if (err) return err;
    netif_set_default(&wire.a);
    wire.input.run = wire_run;
    lwip_service_add_input(&wire.input);
    wire.up = true;
    return 0;
}

unsigned long asyncio_lwip_wire_frames(void) { return wire.frames; }
