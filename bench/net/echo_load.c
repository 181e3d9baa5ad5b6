/*
 * TCP echo load generator: C connections, each sending a message of SIZE
 * bytes and waiting for it to come back, for SECONDS; prints round trips per
 * second. Plain epoll, one thread, independent of casyncio, so every server
 * is measured with the same client.
 *
 *   echo_load PORT [CONNECTIONS=100] [SIZE=64] [SECONDS=5]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct conn {
    int fd;
    size_t got;
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s PORT [CONNECTIONS] [SIZE] [SECONDS]\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]);
    int n = argc > 2 ? atoi(argv[2]) : 100;
    size_t size = argc > 3 ? (size_t)atoi(argv[3]) : 64;
    double secs = argc > 4 ? atof(argv[4]) : 5;
    char msg[65536], buf[65536];
    if (size > sizeof msg) size = sizeof msg;
    memset(msg, 'm', size);
    int ep = epoll_create1(0);
    struct conn *c = calloc((size_t)n, sizeof *c);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    for (int i = 0; i < n; i++) {
        c[i].fd = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(c[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(c[i].fd, (struct sockaddr *)&a, sizeof a) != 0) {
            perror("connect");
            return 1;
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &c[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &ev);
        if (write(c[i].fd, msg, size) != (ssize_t)size) return 1;
    }
    unsigned long long trips = 0;
    double start = now(), end = start + secs;
    struct epoll_event evs[256];
    while (now() < end) {
        int k = epoll_wait(ep, evs, 256, 100);
        for (int i = 0; i < k; i++) {
            struct conn *cc = evs[i].data.ptr;
            ssize_t r = read(cc->fd, buf, sizeof buf);
            if (r <= 0) {
                fprintf(stderr, "connection lost\n");
                return 1;
            }
            cc->got += (size_t)r;
            if (cc->got >= size) {
                cc->got -= size;
                trips++;
                if (write(cc->fd, msg, size) != (ssize_t)size) return 1;
            }
        }
    }
    double took = now() - start;
    printf("%.0f\n", (double)trips / took);
    return 0;
}
