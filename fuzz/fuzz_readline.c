/* libFuzzer target: asyncio_stream_readline / read / readexactly over a
 * socketpair. The input is split into a control part (buffer sizes, which
 * call) and the bytes the peer sends in chunks; what the stream returns,
 * concatenated, must be exactly the bytes sent. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "asyncio.h"
#include "asyncio_stream.h"

static const uint8_t *in;
static size_t in_len;
static uint8_t out[1 << 16];
static size_t out_len;
static int peer;

static int writer(void *arg) {
    (void)arg;
    size_t pos = 0, k = 0;
    while (pos < in_len) {
        size_t chunk = 1 + (in[k++ % in_len] % 97);
        if (chunk > in_len - pos) chunk = in_len - pos;
        ssize_t n = write(peer, in + pos, chunk);
        if (n > 0)
            pos += (size_t)n;
        else if (asyncio_wait_writable(peer) < 0)
            break;
        if (k % 3 == 0) asyncio_yield();
    }
    shutdown(peer, SHUT_WR);
    return 0;
}

static int reader(void *arg) {
    asyncio_stream_t *s = arg;
    size_t k = 0;
    for (;;) {
        uint8_t ctl = in_len ? in[(k * 7) % in_len] : 0;
        size_t n = 1 + ((size_t)ctl * 13 + k) % 200;
        if (out_len + n > sizeof out) return -1;
        k++;
        ssize_t r;
        switch (ctl % 3) {
        case 0:
            r = asyncio_stream_readline(s, out + out_len, n);
            if (r == -EMSGSIZE) {
                if (asyncio_stream_buffered(s) < n) abort(); /* must hold n bytes without '\n' */
                if (memchr(out + out_len, 0, 0)) abort();
                r = asyncio_stream_read(s, out + out_len, n);
            } else if (r > 0 && out[out_len + (size_t)r - 1] != '\n' &&
                       asyncio_stream_buffered(s)) {
                abort(); /* a line without '\n' only at EOF */
            }
            break;
        case 1:
            r = asyncio_stream_read(s, out + out_len, n);
            break;
        default:
            r = asyncio_stream_readexactly(s, out + out_len, n);
            if (r == -EPIPE) r = asyncio_stream_read(s, out + out_len, n);
            break;
        }
        if (r < 0) abort();
        if (r == 0) return 0;
        if ((size_t)r > n) abort();
        out_len += (size_t)r;
    }
}

static int main_task(void *arg) {
    (void)arg;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) != 0) abort();
    peer = sv[1];
    asyncio_stream_t *s = asyncio_stream_from_fd(sv[0]);
    asyncio_stream_set_limit(s, 64 + (in_len ? in[0] : 0));
    asyncio_task_t *w = asyncio_create_task(writer, NULL);
    asyncio_task_t *r = asyncio_create_task(reader, s);
    asyncio_await(w);
    int res = asyncio_await(r);
    asyncio_stream_close(s);
    close(peer);
    return res;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 8192) return 0;
    in = data;
    in_len = size;
    out_len = 0;
    if (asyncio_run(main_task, NULL) != 0) abort();
    if (out_len != size || memcmp(out, data, size) != 0) abort();
    return 0;
}
