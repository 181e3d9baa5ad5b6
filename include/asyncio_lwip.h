/*
 * casyncio over lwIP: the TCP calls of asyncio_stream.h (asyncio_open_connection,
 * asyncio_start_server, asyncio_server_*) on lwIP's raw API instead of the
 * system's sockets, for boards without an OS (the Pico W) and for testing
 * that on a host.
 *
 * A program chooses lwIP by linking the casyncio_lwip library (CMake:
 * target_link_libraries(app casyncio_lwip)): its definitions of those calls
 * take the place of the socket ones, so the program's source does not
 * change. The streams they return are the same asyncio_stream_t, with the
 * documented behaviour, except that:
 *  - drain (and close, which drains) returns once the peer has acknowledged
 *    every byte written, not when a kernel has taken them (lwIP acknowledges
 *    what it receives at once, not after a delayed-ACK tick, so that a peer's
 *    drain does not wait for one);
 *  - bytes the stream has not taken from lwIP yet are acknowledged to lwIP
 *    (tcp_recved) only as the reader takes them: a reader that stops
 *    reading stops its peer after one window (TCP_WND, lwipopts.h) plus what
 *    the stream's buffer holds (asyncio_stream_set_limit);
 *  - closing a stream whose peer sent bytes the stream never took resets
 *    the connection, as closing a socket with unread bytes does;
 *  - a server's backlog counts the connections lwIP holds half-open; an
 *    established one gets its task at once. Connections past lwIP's pool
 *    (MEMP_NUM_TCP_PCB) are refused: asyncio_open_connection says -ENOMEM;
 *  - addresses are IPv4; a name is looked up with lwIP's resolver without
 *    blocking the loop (names added with dns_local_addhost() are found at
 *    once); asyncio_start_server outside a task fails with EWOULDBLOCK for
 *    a name lwIP does not know yet; asyncio_stream_fd returns -1.
 *
 * lwIP runs on the loop: a service task (started on the loop of the first
 * TCP call, and again on the next loop once that one is closed) delivers
 * the frames the interfaces received and runs lwIP's timers, sleeping until
 * the next timer is due or a frame arrives. lwIP's clock (sys_now) is the
 * loop's clock, so lwIP's timers follow virtual time too. Everything happens
 * in loop context: no lwIP call may be made from an interrupt handler or
 * another thread. On a Pico W the Wi-Fi chip's driver is polled by the same
 * service (asyncio_wifi.h).
 */
#ifndef ASYNCIO_LWIP_H
#define ASYNCIO_LWIP_H

#include "asyncio.h"
#include "asyncio_stream.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Initialises lwIP (lwip_init) the first time, and starts the service task
 * on the running (else default) loop unless it runs there already. Returns
 * 0, or -ENOMEM. The TCP calls make it themselves; call it to have lwIP's
 * timers and input run before any TCP call (a DHCP lease, a Wi-Fi join).
 * Does not suspend. */
int asyncio_lwip_init(void);

/* For tests and benchmarks on a host: two lwIP interfaces wired back to back
 * in this process, ASYNCIO_LWIP_WIRE_A (10.0.0.1/24) and
 * ASYNCIO_LWIP_WIRE_B (10.0.0.2/24), MTU 1500. A frame one sends is
 * copied and handed to the other by the service task, in order. A server
 * listening on either address (or on any, host NULL) is reached from the
 * other; the default route is A. Initialises lwIP if needed (not the
 * service: see asyncio_lwip_init). Idempotent; returns 0, or -ENOMEM.
 * Does not suspend. */
int asyncio_lwip_wire_up(void);
#define ASYNCIO_LWIP_WIRE_A "10.0.0.1"
#define ASYNCIO_LWIP_WIRE_B "10.0.0.2"

/* Frames carried by the wire since the program started (both directions). */
unsigned long asyncio_lwip_wire_frames(void);

/* On a Linux host: an lwIP Ethernet interface over the TAP device `ifname`
 * (created if it does not exist; an existing, persistent one is attached
 * to), with IPv4 address `addr`, `netmask` and `gateway` (NULL: none),
 * made lwIP's default interface. The host's side of the device is the
 * caller's to configure (ip addr add ... dev ifname; ip link set ifname
 * up). Frames are read by a task started with the lwIP service, so it may
 * be called before the loop runs. Returns 0, -EINVAL (bad argument),
 * -EBUSY (a TAP interface is up already), -EPERM (creating a device needs
 * CAP_NET_ADMIN), -ENOENT (no /dev/net/tun), -ENOMEM. Does not suspend. */
int asyncio_lwip_tap_up(const char *ifname, const char *addr, const char *netmask,
                        const char *gateway);

#ifdef __cplusplus
}
#endif
#endif
