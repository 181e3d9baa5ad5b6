/* lwIP's port on the host: initialised by casyncio (lwip_init, once), and
 * its clock (sys_now) is the loop's, virtual time included. On a Pico W,
 * pico-sdk's cyw43_arch initialises lwIP and brings the board timer as
 * sys_now(), which is the loop's clock there too (pico_w/lwip_cyw43.c). */
#include "../lwip_internal.h"

#include "lwip/init.h"
#include "lwip/sys.h"

void lwip_stack_init(void) {
    static bool initialised;
    if (!initialised) {
        initialised = true;
        lwip_init();
    }
}

u32_t sys_now(void) { return lwip_service_now_ms(); }
