/* The same two LEDs with pico-sdk's async_context (polled flavour): two
 * at-time workers that toggle their LED and schedule themselves again; the
 * main loop sleeps until there is work. */
#include "pico/async_context_poll.h"
#include "pico/stdlib.h"

struct led_worker {
    async_at_time_worker_t worker;
    unsigned gpio;
    uint32_t period_ms;
};

static void toggle(async_context_t *context, async_at_time_worker_t *worker) {
    struct led_worker *led = (struct led_worker *)worker;
    gpio_xor_mask(1u << led->gpio);
    async_context_add_at_time_worker_in_ms(context, worker, led->period_ms);
}

static struct led_worker green = {.worker = {.do_work = toggle}, .gpio = 20, .period_ms = 2000};
static struct led_worker blue = {.worker = {.do_work = toggle}, .gpio = 19, .period_ms = 500};

int main(void) {
    gpio_init(20);
    gpio_set_dir(20, GPIO_OUT);
    gpio_init(19);
    gpio_set_dir(19, GPIO_OUT);
    async_context_poll_t poll;
    async_context_poll_init_with_defaults(&poll);
    async_context_add_at_time_worker_in_ms(&poll.core, &green.worker, 0);
    async_context_add_at_time_worker_in_ms(&poll.core, &blue.worker, 0);
    for (;;) {
        async_context_poll(&poll.core);
        async_context_wait_for_work_ms(&poll.core, 10000);
    }
}
