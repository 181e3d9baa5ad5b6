/* lwIP driven by the loop, below the streams: two interfaces wired back to
 * back carry a TCP exchange made on lwIP's raw API, and lwIP's timers run on
 * the loop's clock (virtual time: two minutes of TIME_WAIT pass at once). */
#include <string.h>

#include "../check.h"
#include "asyncio.h"
#include "asyncio_lwip.h"

#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"

static struct {
    asyncio_event_t got_reply, closed;
    char reply[32];
    size_t reply_len;
    struct tcp_pcb *server_side;
} t;

/* The server side echoes what it receives. */
static err_t server_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err) {
    (void)arg;
    (void)err;
    if (!p) {
        tcp_close(pcb);
        asyncio_event_set(&t.closed);
        return ERR_OK;
    }
    for (struct pbuf *q = p; q; q = q->next)
        tcp_write(pcb, q->payload, q->len, TCP_WRITE_FLAG_COPY);
    tcp_recved(pcb, p->tot_len);
    tcp_output(pcb);
    pbuf_free(p);
    return ERR_OK;
}

static err_t server_accept(void *arg, struct tcp_pcb *pcb, err_t err) {
    (void)arg;
    (void)err;
    t.server_side = pcb;
    tcp_recv(pcb, server_recv);
    return ERR_OK;
}

static err_t client_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err) {
    (void)arg;
    (void)err;
    if (!p) return ERR_OK;
    t.reply_len +=
        pbuf_copy_partial(p, t.reply + t.reply_len, (u16_t)(sizeof t.reply - t.reply_len), 0);
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    if (t.reply_len >= 5) asyncio_event_set(&t.got_reply);
    return ERR_OK;
}

static asyncio_event_t connected;
static err_t client_connected(void *arg, struct tcp_pcb *pcb, err_t err) {
    (void)arg;
    (void)pcb;
    (void)err;
    asyncio_event_set(&connected);
    return ERR_OK;
}

static int count_pcbs(struct tcp_pcb *list) {
    int n = 0;
    for (; list; list = list->next) n++;
    return n;
}

static int main_raw_echo(void *arg) {
    (void)arg;
    CHECK_EQ(asyncio_lwip_wire_up(), 0);
    asyncio_event_init(&t.got_reply);
    asyncio_event_init(&t.closed);
    asyncio_event_init(&connected);
    CHECK_EQ(asyncio_lwip_init(), 0); /* the service on this loop; then lwIP's raw API */

    struct tcp_pcb *l = tcp_new();
    ip_addr_t b;
    ipaddr_aton(ASYNCIO_LWIP_WIRE_B, &b);
    CHECK_EQ(tcp_bind(l, &b, 7), ERR_OK);
    l = tcp_listen(l);
    tcp_accept(l, server_accept);

    struct tcp_pcb *c = tcp_new();
    tcp_recv(c, client_recv);
    uint64_t t0 = asyncio_ticks_us();
    CHECK_EQ(tcp_connect(c, &b, 7, client_connected), ERR_OK);
    CHECK_EQ(asyncio_event_wait(&connected), 0);
    CHECK_EQ(tcp_write(c, "hello", 5, TCP_WRITE_FLAG_COPY), ERR_OK);
    tcp_output(c);
    CHECK_EQ(asyncio_event_wait(&t.got_reply), 0);
    CHECK_EQ(asyncio_ticks_us(), t0); /* frames take no (virtual) time */
    CHECK(t.reply_len == 5 && memcmp(t.reply, "hello", 5) == 0);
    CHECK(asyncio_lwip_wire_frames() >= 5); /* SYN, SYN-ACK, ACK, data, echo */

    /* the client closes first: its PCB waits 2 MSL in TIME_WAIT, on lwIP's
     * timers, which the loop's virtual clock drives */
    tcp_close(c);
    CHECK_EQ(asyncio_event_wait(&t.closed), 0);
    asyncio_sleep_ms(1000);
    CHECK_EQ(count_pcbs(tcp_tw_pcbs), 1);
    asyncio_sleep_ms(2 * TCP_MSL + 1000);
    CHECK_EQ(count_pcbs(tcp_tw_pcbs), 0);
    CHECK_EQ(count_pcbs(tcp_active_pcbs), 0);
    tcp_close(l);
    return 0;
}

static void test_raw_echo_and_timers_in_virtual_time(void) {
    asyncio_loop_opts_t opts = {.virtual_time = true};
    asyncio_loop_t *loop = asyncio_new_event_loop_ex(&opts);
    asyncio_set_event_loop(loop);
    asyncio_task_t *main = asyncio_loop_create_task(loop, main_raw_echo, NULL);
    CHECK_EQ(asyncio_loop_run_until_complete(loop, main), 0);
    asyncio_loop_close(loop);
}

int main(void) {
    RUN(test_raw_echo_and_timers_in_virtual_time);
    return check_summary();
}
