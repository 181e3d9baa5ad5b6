/* TCP over lwIP (two interfaces wired back to back, virtual time): echo
 * with many clients, names, refused, reset and timed-out connections,
 * cancellation, server shutdown, handlers on the shared stack. The same
 * calls as over sockets. */
#include <stdio.h>
#include <string.h>

#include "../net_echo.h"
#include "lwip_test.h"

#include "lwip/dns.h"
#include "lwip/ip_addr.h"
#include "lwip/udp.h"

#define SERVER ASYNCIO_LWIP_WIRE_B
#define NOBODY "10.0.0.3" /* routed onto the wire, answered by no one */

/* ---- an echo server (net_echo.h) ------------------------------------------------------ */

static int clients_n;

static int main_echo_many(void *arg) {
    const char *host = arg;
    return echo_server_serves(NULL, host, 64, clients_n); /* NULL: every address */
}

static void test_echo_many_clients(void) {
    clients_n = under_valgrind() ? 50 : 300;
    CHECK_EQ(run_on_wire(main_echo_many, SERVER), 0);
    CHECK_EQ(run_on_wire(main_echo_many, ASYNCIO_LWIP_WIRE_A), 0); /* either side listens */
}

/* A name lwIP's resolver knows (added to its host list): found at once. */
static void test_echo_by_name(void) {
    ip_addr_t b;
    ipaddr_aton(SERVER, &b);
    CHECK_EQ(dns_local_addhost("server.test", &b), ERR_OK);
    clients_n = 5;
    CHECK_EQ(run_on_wire(main_echo_many, "server.test"), 0);
}

/* A name asked of a DNS server: a small one on the wire (UDP port 53 of
 * ASYNCIO_LWIP_WIRE_A, the interface the wire routes through, so that its
 * answers leave from the address asked) that answers every A query with
 * SERVER's address, 50 ms later; other tasks run while the lookup waits. */
static struct {
    struct udp_pcb *pcb;
    struct pbuf *query;
    ip_addr_t from;
    u16_t port;
    int answered;
} dns;

static void dns_query(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
                      u16_t port) {
    (void)arg;
    (void)pcb;
    if (dns.query) pbuf_free(dns.query);
    dns.query = p;
    dns.from = *addr;
    dns.port = port;
}

/* The answer: the query's header and question, then one A record. */
static void dns_answer(void) {
    u16_t qlen = dns.query->tot_len;
    static const u8_t record[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 2};
    struct pbuf *r = pbuf_alloc(PBUF_TRANSPORT, (u16_t)(qlen + sizeof record), PBUF_RAM);
    pbuf_copy_partial(dns.query, r->payload, qlen, 0);
    u8_t *b = r->payload;
    b[2] = 0x81; /* a response, recursion desired and available, no error */
    b[3] = 0x80;
    b[7] = 1; /* one answer */
    memcpy(b + qlen, record, sizeof record);
    udp_sendto(dns.pcb, r, &dns.from, dns.port);
    pbuf_free(r);
    pbuf_free(dns.query);
    dns.query = NULL;
    dns.answered++;
}

static int dns_server(void *arg) {
    (void)arg;
    for (;;) {
        if (asyncio_sleep_ms(50) < 0) return 0;
        if (dns.query) dns_answer();
    }
}

static int ticks;
static int ticker(void *arg) {
    (void)arg;
    while (asyncio_sleep_ms(10) == 0) ticks++;
    return 0;
}

static int main_dns(void *arg) {
    (void)arg;
    ip_addr_t server;
    ipaddr_aton(ASYNCIO_LWIP_WIRE_A, &server);
    dns.pcb = udp_new();
    CHECK_EQ(udp_bind(dns.pcb, IP_ADDR_ANY, 53), ERR_OK);
    udp_recv(dns.pcb, dns_query, NULL);
    dns_setserver(0, &server);
    asyncio_task_t *answering = asyncio_create_task(dns_server, NULL);
    asyncio_task_t *ticking = asyncio_create_task(ticker, NULL);
    clients_n = 3;
    CHECK_EQ(main_echo_many("echo.test"), 0); /* the first client asks; the others wait for it */
    CHECK_EQ(dns.answered, 1);                /* then lwIP's cache answers */
    CHECK(ticks >= 4);                        /* the loop ran on during the lookup */
    asyncio_task_cancel(answering);
    asyncio_task_cancel(ticking);
    asyncio_await(answering);
    asyncio_await(ticking);
    dns_setserver(0, NULL);
    udp_remove(dns.pcb);
    return 0;
}

static void test_name_looked_up_by_dns(void) { CHECK_EQ(run_on_wire(main_dns, NULL), 0); }

/* ---- refused, unknown, unreachable ------------------------------------------------------- */

static int main_refused(void *arg) {
    (void)arg;
    asyncio_stream_t *s = (asyncio_stream_t *)1;
    asyncio_server_t *srv = asyncio_start_server(echo_handler, NULL, SERVER, 9, 0);
    CHECK_EQ(asyncio_open_connection(SERVER, 9, &s), 0);
    CHECK_EQ(asyncio_stream_fd(s), -1); /* no fd under an lwIP stream */
    asyncio_stream_close(s);
    asyncio_server_close(srv);
    CHECK_EQ(asyncio_server_wait_closed(srv), 0);
    CHECK_EQ(asyncio_open_connection(SERVER, 9, &s), -ECONNREFUSED);
    CHECK(s == NULL);
    CHECK_EQ(asyncio_open_connection(NULL, 80, &s), -EINVAL);
    CHECK_EQ(asyncio_open_connection(SERVER, 80, NULL), -EINVAL);
    /* nobody answers: lwIP retransmits the SYN, then gives up */
    uint64_t t0 = asyncio_ticks_us();
    CHECK_EQ(asyncio_open_connection(NOBODY, 80, &s), -ETIMEDOUT);
    CHECK(asyncio_ticks_us() - t0 >= 10000000); /* several backed-off retransmissions */
    /* a name with no DNS server to ask */
    CHECK_EQ(asyncio_open_connection("nowhere.test", 80, &s), -ENOENT);
    return 0;
}

static void test_connect_refused_and_timed_out(void) {
    CHECK_EQ(run_on_wire(main_refused, NULL), 0);
    asyncio_stream_t *s;
    CHECK_EQ(asyncio_open_connection(SERVER, 1, &s), -EPERM);
}

/* ---- reset by the peer ------------------------------------------------------------------------
 */

/* Returns once the client's bytes have arrived, without reading them: the
 * stream is closed with bytes unread, which resets the connection (as a
 * socket's close does). */
static int resetting_handler(asyncio_stream_t *s, void *arg) {
    (void)s;
    (void)arg;
    asyncio_sleep_ms(10);
    return 0;
}

static int main_reset(void *arg) {
    (void)arg;
    asyncio_server_t *srv = asyncio_start_server(resetting_handler, NULL, SERVER, 0, 0);
    CHECK(srv != NULL);
    uint16_t port = asyncio_server_port(srv);

    /* mid-read: the client waits for a reply that never comes */
    CHECK_EQ(reset_mid_read(SERVER, port, "hello world"), -ECONNRESET);
    /* mid-write: the client keeps writing after the reset */
    CHECK_EQ(reset_mid_write(SERVER, port, 100), -ECONNRESET);
    asyncio_server_close(srv);
    CHECK_EQ(asyncio_server_wait_closed(srv), 0);
    return 0;
}

static void test_peer_reset_mid_read_and_write(void) { CHECK_EQ(run_on_wire(main_reset, NULL), 0); }

/* ---- cancellation and timeouts (handlers and clients: net_echo.h) ------------------------- */

static int main_cancel(void *arg) {
    (void)arg;
    /* a connect nobody answers: cancelled, or its timeout scope expires */
    asyncio_task_t *t = asyncio_create_task(connect_task, NOBODY);
    asyncio_sleep_ms(100);
    asyncio_task_cancel(t);
    CHECK_EQ(asyncio_await(t), -ECANCELED);
    asyncio_timeout_t scope;
    asyncio_stream_t *s;
    uint64_t t0 = asyncio_ticks_us();
    asyncio_timeout_enter_ms(&scope, 1500);
    CHECK_EQ(asyncio_open_connection(NOBODY, 80, &s), -ETIMEDOUT);
    CHECK(asyncio_timeout_exit(&scope));
    CHECK_EQ(asyncio_ticks_us() - t0, 1500000);
    asyncio_timeout_enter_ms(&scope, 0); /* expired already: at once */
    CHECK_EQ(asyncio_open_connection(SERVER, 80, &s), -ETIMEDOUT);
    asyncio_timeout_exit(&scope);

    /* a name lookup nobody answers (a DNS server that does not exist):
     * cancelled; and one left to lwIP's resolver, which gives up */
    ip_addr_t dns;
    ipaddr_aton(NOBODY, &dns);
    dns_setserver(0, &dns);
    t = asyncio_create_task(connect_task, "slow.test");
    asyncio_sleep_ms(100);
    asyncio_task_cancel(t);
    CHECK_EQ(asyncio_await(t), -ECANCELED);
    CHECK_EQ(asyncio_open_connection("slow.test", 80, &s), -ENOENT);
    dns_setserver(0, NULL);

    /* wait_closed with clients still connected, under a timeout */
    asyncio_server_t *srv = asyncio_start_server(idle_handler, NULL, SERVER, 0, 0);
    CHECK_EQ(idle_clients_cut_off(srv, SERVER, 3), 0);
    return 0;
}

static void test_cancel_connect_lookup_and_wait_closed(void) {
    CHECK_EQ(run_on_wire(main_cancel, NULL), 0);
}

/* ---- server_close lets clients finish ----------------------------------------------------------
 */

static int main_graceful(void *arg) {
    (void)arg;
    /* NULL host: any address */
    return close_lets_clients_finish(ASYNCIO_LWIP_WIRE_B, ASYNCIO_LWIP_WIRE_A);
}

static void test_server_close_lets_clients_finish(void) {
    CHECK_EQ(run_on_wire(main_graceful, NULL), 0);
}

/* ---- handlers on the shared stack --------------------------------------------------------- */

/* Echo handlers that note where their locals are (net_echo.h): on
 * the shared stack, all at one address. */
static int main_shared_stack_server(void *arg) {
    (void)arg;
    struct handler_places places = {0};
    asyncio_server_opts_t opts = {.backlog = 64, .shared_stack = true};
    CHECK_EQ(placed_echo_serves(SERVER, &opts, clients_n, &places), 0);
    CHECK_EQ(places.handlers, clients_n);
    CHECK_EQ(places.at_first, clients_n); /* one stack served them all */

    /* idle connections, then a wait_closed that times out: the suspended
     * handlers resume from their copies, cancelled */
    asyncio_server_t *srv = asyncio_start_server_ex(idle_handler, NULL, SERVER, 0, &opts);
    CHECK_EQ(idle_clients_cut_off(srv, SERVER, 10), 0);
    return 0;
}

static void test_shared_stack_handlers(void) {
    clients_n = under_valgrind() ? 20 : 100;
    CHECK_EQ(run_on_wire(main_shared_stack_server, NULL), 0);
}

int main(void) {
    RUN(test_echo_many_clients);
    RUN(test_echo_by_name);
    RUN(test_name_looked_up_by_dns);
    RUN(test_connect_refused_and_timed_out);
    RUN(test_peer_reset_mid_read_and_write);
    RUN(test_cancel_connect_lookup_and_wait_closed);
    RUN(test_server_close_lets_clients_finish);
    RUN(test_shared_stack_handlers);
    return check_summary();
}
