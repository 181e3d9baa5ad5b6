/* What the POSIX port's files share. */
#ifndef CASYNCIO_PORT_POSIX_H
#define CASYNCIO_PORT_POSIX_H

#include "../port.h"

/* struct port_loop is private to the poller chosen at build time
 * (poll_epoll.c or poll_poll.c); io.c reaches it through the registration
 * calls of io_internal.h. */

/* stack.c: gives back up to max_stacks cached stacks beyond the cache's
 * size. Called by the poller before it blocks. */
void port_stack_trim(unsigned max_stacks);

/* watch.c: the pollers call watch_rest(true) before they block and
 * watch_rest(false) after, so that the slow-step watcher rests too. */
void watch_rest(bool rest);

#endif
