/* lwIP's clock on the host: the loop's (virtual time included). On a Pico W,
 * pico-sdk's lwIP port brings its own sys_now(), the board's timer, which is
 * the loop's clock there too. */
#include "../lwip_internal.h"

#include "lwip/sys.h"

u32_t sys_now(void) { return lwip_service_now_ms(); }
