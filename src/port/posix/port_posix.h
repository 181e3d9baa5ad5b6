/* What the POSIX port's files share. */
#ifndef CASYNCIO_PORT_POSIX_H
#define CASYNCIO_PORT_POSIX_H

#include <stdatomic.h>

#include "../port.h"

struct port_loop {
    asyncio_loop_t *loop;
    int epoll_fd;
    int wake_fd;                /* eventfd: port_wake() writes, port_poll() drains */
    atomic_uint wake_pending;   /* a write to wake_fd is outstanding */
    unsigned registered_fds;    /* fds in the epoll set besides wake_fd */
};

/* stack.c: gives back up to max_stacks cached stacks beyond the cache's
 * size. Called by the poller before it blocks. */
void port_stack_trim(unsigned max_stacks);

#endif
