/* The web server's default client limit on a host: every connection costs
 * a file descriptor (app.h). The Pico W's start-up has its own. */
#include <sys/resource.h>

#include "app.h"

unsigned webapp_default_max_clients(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 64;
    rlim_t fds = rl.rlim_cur == RLIM_INFINITY ? WEBAPP_MAX_CLIENTS_CAP : rl.rlim_cur;
    if (fds <= 2 * WEBAPP_RESERVED_FDS) return (unsigned)(fds / 2 ? fds / 2 : 1);
    fds -= WEBAPP_RESERVED_FDS;
    return (unsigned)(fds < WEBAPP_MAX_CLIENTS_CAP ? fds : WEBAPP_MAX_CLIENTS_CAP);
}
