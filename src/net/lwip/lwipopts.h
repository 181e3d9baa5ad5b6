/*
 * lwIP's configuration for casyncio's TCP transport: the one place where the
 * number of connections, the buffer sizes and lwIP's pools are set.
 *
 * The defaults fit a Pico W (264 KB of RAM shared with the Wi-Fi driver and
 * the program): 8 TCP connections, a 4-segment window each way, 16 KB for
 * lwIP's heap (the bytes written and not yet acknowledged are copied there)
 * and 16 full-size receive buffers. Every value can be overridden from the
 * build (target_compile_definitions of the lwIP library), e.g. the host
 * tests take pools and heap from malloc so that the sanitizers see them.
 *
 * Mode: NO_SYS (no threads; casyncio's loop drives lwIP's timers and input),
 * raw API only (no netconn, no sockets), IPv4, TCP, UDP for DNS, DHCP for
 * the Wi-Fi link.
 */
#ifndef CASYNCIO_LWIPOPTS_H
#define CASYNCIO_LWIPOPTS_H

/* ---- what casyncio's transport needs -------------------------------------------- */
#define NO_SYS 1
#if !defined(SYS_LIGHTWEIGHT_PROT)
#define SYS_LIGHTWEIGHT_PROT 0 /* lwIP is called from the loop only, never from an interrupt */
#endif
#define LWIP_SOCKET                0
#define LWIP_NETCONN               0
#define LWIP_TCP                   1
#define LWIP_UDP                   1
#define LWIP_CALLBACK_API          1
#define TCP_LISTEN_BACKLOG         1 /* asyncio_start_server's backlog */
#define SO_REUSE                   1 /* a server restarts on its port while old ones wait */
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK   1
#define LWIP_NETIF_HOSTNAME        1

#if !defined(LWIP_IPV4)
#define LWIP_IPV4 1
#endif
#if !defined(LWIP_IPV6)
#define LWIP_IPV6 0
#endif
#if !defined(LWIP_DNS)
#define LWIP_DNS 1
#endif
#if !defined(DNS_LOCAL_HOSTLIST)
#define DNS_LOCAL_HOSTLIST 1 /* names added with dns_local_addhost() */
#endif
#if !defined(DNS_LOCAL_HOSTLIST_IS_DYNAMIC)
#define DNS_LOCAL_HOSTLIST_IS_DYNAMIC 1
#endif
#if !defined(LWIP_DHCP)
#define LWIP_DHCP 1
#endif
#if !defined(LWIP_ARP)
#define LWIP_ARP 1
#endif
#if !defined(LWIP_ETHERNET)
#define LWIP_ETHERNET 1
#endif
#if !defined(LWIP_ICMP)
#define LWIP_ICMP 1
#endif
#if !defined(LWIP_RAW)
#define LWIP_RAW 0
#endif
#if !defined(LWIP_STATS)
#define LWIP_STATS 0
#endif

/* ---- the limits: connections and buffers ------------------------------------------- */

/* The service task's stack: lwIP's input path (a frame up through TCP into
 * the transport's callbacks, and the Wi-Fi driver's polling) runs on it. */
#if !defined(ASYNCIO_LWIP_SERVICE_STACK)
#define ASYNCIO_LWIP_SERVICE_STACK 4096
#endif
/* The stack of each server's client task (asyncio_start_server's handler
 * runs on it); 0: the port's default (1 KB on a microcontroller, too small
 * for a handler that formats text). */
#if !defined(ASYNCIO_LWIP_CLIENT_STACK)
#define ASYNCIO_LWIP_CLIENT_STACK 4096
#endif

/* TCP connections open at once, both directions (clients served, outgoing
 * connections); one more past it is refused by lwIP with a reset. The web
 * server's max_clients should be below it, so that the 503 can be sent. */
#if !defined(ASYNCIO_LWIP_MAX_CONNECTIONS)
#define ASYNCIO_LWIP_MAX_CONNECTIONS 8
#endif
/* Listening sockets at once (asyncio_start_server). */
#if !defined(ASYNCIO_LWIP_MAX_LISTENERS)
#define ASYNCIO_LWIP_MAX_LISTENERS 2
#endif

#if !defined(TCP_MSS)
#define TCP_MSS 1460
#endif
/* Receive window: what a peer may send before the reader has read it. The
 * transport acknowledges bytes to lwIP (tcp_recved) only as the reader
 * consumes them, so a slow reader holds at most this much per connection. */
#if !defined(TCP_WND)
#define TCP_WND (4 * TCP_MSS)
#endif
/* Send buffer: bytes written and not yet acknowledged, per connection. */
#if !defined(TCP_SND_BUF)
#define TCP_SND_BUF (4 * TCP_MSS)
#endif
#if !defined(TCP_SND_QUEUELEN)
#define TCP_SND_QUEUELEN ((4 * (TCP_SND_BUF) + (TCP_MSS - 1)) / (TCP_MSS))
#endif

/* lwIP's heap: outgoing segments (copied on write) and their headers. */
#if !defined(MEM_SIZE)
#define MEM_SIZE (16 * 1024)
#endif
#if !defined(MEM_ALIGNMENT)
#define MEM_ALIGNMENT 4
#endif
/* Receive buffers (full-size frames). */
#if !defined(PBUF_POOL_SIZE)
#define PBUF_POOL_SIZE 16
#endif
#if !defined(MEMP_NUM_TCP_PCB)
#define MEMP_NUM_TCP_PCB (ASYNCIO_LWIP_MAX_CONNECTIONS + 2) /* + 2 closing (TIME_WAIT is reused)   \
                                                             */
#endif
#if !defined(MEMP_NUM_TCP_PCB_LISTEN)
#define MEMP_NUM_TCP_PCB_LISTEN ASYNCIO_LWIP_MAX_LISTENERS
#endif
#if !defined(MEMP_NUM_TCP_SEG)
#define MEMP_NUM_TCP_SEG (2 * TCP_SND_QUEUELEN)
#endif
#if !defined(MEMP_NUM_PBUF)
#define MEMP_NUM_PBUF 16
#endif
#if !defined(MEMP_NUM_UDP_PCB)
#define MEMP_NUM_UDP_PCB 4
#endif
#if !defined(MEMP_NUM_ARP_QUEUE)
#define MEMP_NUM_ARP_QUEUE 8
#endif

/* ---- behaviour ----------------------------------------------------------------- */
#define LWIP_TCP_KEEPALIVE        0
#define LWIP_NETIF_TX_SINGLE_PBUF 1
#define TCP_QUEUE_OOSEQ           1
#define LWIP_CHKSUM_ALGORITHM     3
#if !defined(TCP_MAXRTX)
#define TCP_MAXRTX 12 /* data retransmissions before -ETIMEDOUT */
#endif
#if !defined(TCP_SYNMAXRTX)
#define TCP_SYNMAXRTX 6 /* SYN retransmissions before a connect gives -ETIMEDOUT */
#endif

#endif
