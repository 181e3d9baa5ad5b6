/* The stream record, shared by stream.c and net.c. */
#ifndef CASYNCIO_STREAM_INTERNAL_H
#define CASYNCIO_STREAM_INTERNAL_H

#include "io_internal.h"

#include "../../../include/asyncio_stream.h"

struct asyncio_stream {
    struct io_watch w; /* first member: the poller's tag leads back here */
    int fd;
    bool is_socket;
    bool eof;       /* the read side reached end of file */
    bool reading;   /* a task is inside a read call */
    bool wr_shut;   /* write_eof done */
    bool closing;   /* close called: the last user frees */
    int rerr;       /* sticky read error */
    int werr;       /* sticky write error */
    unsigned users; /* tasks inside a suspending call */
    size_t limit;
    char *rbuf;
    size_t rcap, rpos, rlen;
    char *wbuf;
    size_t wcap, wpos, wlen;
    asyncio_waitq_t drainers;
};

/* A stream over fd (already non-blocking) on `loop`; NULL with errno set. */
asyncio_stream_t *stream_new(asyncio_loop_t *loop, int fd, bool is_socket);

#endif
