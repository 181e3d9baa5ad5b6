/*
 * Waiting on file descriptors. (The stream and socket layers build on this.)
 */
#include "port_posix.h"

void port_io_dispatch(struct port_loop *p, void *tag, uint32_t events) {
    (void)p;
    (void)tag;
    (void)events;
}
