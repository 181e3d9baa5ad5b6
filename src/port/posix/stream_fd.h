/* The fd transport of the stream layer (stream_fd.c), for net.c's sockets. */
#ifndef CASYNCIO_STREAM_FD_H
#define CASYNCIO_STREAM_FD_H

#include "../../core/stream_transport.h"

/* A stream over fd (already non-blocking) on `loop`; NULL with errno set
 * (EEXIST: the fd is registered already, EBADF, ENOMEM). The fd is not
 * closed on failure; on success the stream owns it. */
asyncio_stream_t *fd_stream_new(asyncio_loop_t *loop, int fd, bool is_socket);

#endif
