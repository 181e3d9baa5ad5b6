/*
 * casyncio in a pico-sdk program: GPIO 20 toggles every 2 s and GPIO 19
 * every 0.5 s, each LED in its own task, while a third task answers
 * commands typed on the USB serial port (printf goes there too):
 *
 *     help              the commands
 *     led <19|20> on    stop that LED's blinking, keep it on (off: keep it off)
 *     led <19|20> blink blink it again
 *     time              the loop's clock, in ms since start
 *
 * The USB serial port is an asyncio_stream_t: readline suspends the command
 * task, not the LEDs, and the CPU sleeps whenever no task has work.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "asyncio.h"
#include "asyncio_stream.h"
#include "machine.h"
#include "pico/stdlib.h"

struct led {
    unsigned gpio;
    uint32_t period_ms;
    machine_pin_t pin;
    asyncio_task_t *blinker; /* NULL while the LED is held on or off */
};

static struct led leds[] = {{.gpio = 20, .period_ms = 2000}, {.gpio = 19, .period_ms = 500}};

static int blink(void *arg) {
    struct led *led = arg;
    for (;;) {
        machine_pin_toggle(&led->pin);
        if (asyncio_sleep_ms(led->period_ms) < 0) return 0; /* < 0: cancelled */
    }
}

static void led_blink(struct led *led) {
    if (!led->blinker) led->blinker = asyncio_create_task(blink, led);
}

/* Cancels the LED's blinker and waits until it has ended, then holds the LED. */
static void led_hold(struct led *led, int on) {
    if (led->blinker) {
        asyncio_task_cancel(led->blinker);
        asyncio_await(led->blinker);
        led->blinker = NULL;
    }
    machine_pin_value_set(&led->pin, on);
}

/* ---- the command prompt on the USB serial port ---------------------------- */

static struct led *find_led(const char *gpio) {
    for (size_t i = 0; i < sizeof leds / sizeof leds[0]; i++) {
        char name[4];
        snprintf(name, sizeof name, "%u", leds[i].gpio);
        if (strcmp(gpio, name) == 0) return &leds[i];
    }
    return NULL;
}

/* Writes one formatted line to the stream (queued; never suspends). */
static void reply(asyncio_stream_t *usb, const char *fmt, const char *a, const char *b) {
    char text[80];
    int n = snprintf(text, sizeof text, fmt, a, b);
    if (n > 0)
        asyncio_stream_write(usb, text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
}

static void run_command(asyncio_stream_t *usb, char *line) {
    char *cmd = strtok(line, " "), *a = strtok(NULL, " "), *b = strtok(NULL, " ");
    if (!cmd) return;
    if (strcmp(cmd, "help") == 0) {
        reply(usb, "commands: help, led <19|20> <on|off|blink>, time\n", "", "");
    } else if (strcmp(cmd, "time") == 0) {
        /* printf goes to the same USB serial port, beside the stream */
        printf("time %lu ms\n", (unsigned long)asyncio_ticks_ms());
    } else if (strcmp(cmd, "led") == 0 && a && b && find_led(a)) {
        struct led *led = find_led(a);
        if (strcmp(b, "blink") == 0) {
            led_blink(led);
        } else if (strcmp(b, "on") == 0 || strcmp(b, "off") == 0) {
            led_hold(led, strcmp(b, "on") == 0);
        } else {
            reply(usb, "led: on, off or blink\n", "", "");
            return;
        }
        reply(usb, "led %s %s\n", a, b);
    } else {
        reply(usb, "unknown command '%s' (try help)\n", cmd, "");
    }
}

static int command_prompt(void *arg) {
    (void)arg;
    asyncio_stream_t *usb = asyncio_stream_usb_cdc();
    if (!usb) return -errno;
    char line[64];
    for (;;) {
        ssize_t n = asyncio_stream_readline(usb, line, sizeof line - 1); /* suspends */
        if (n == -EMSGSIZE) { /* no '\n' in 63 bytes: drop what is there */
            n = asyncio_stream_read(usb, line, sizeof line);
            reply(usb, "line too long\n", "", "");
            continue;
        }
        if (n <= 0) break; /* cancelled, closed */
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
        line[n] = '\0';
        run_command(usb, line);
    }
    return asyncio_stream_close(usb);
}

static int main_task(void *arg) {
    (void)arg;
    for (size_t i = 0; i < sizeof leds / sizeof leds[0]; i++) led_blink(&leds[i]);
    /* printf and the USB stack want more than the default 1 KiB */
    asyncio_task_opts_t opts = {.name = "prompt", .stack_size = 4096};
    asyncio_task_detach(asyncio_create_task_ex(command_prompt, NULL, &opts));
    return 0;
}

int main(void) {
    stdio_init_all();
    for (size_t i = 0; i < sizeof leds / sizeof leds[0]; i++) {
        machine_pin_init(&leds[i].pin, leds[i].gpio, MACHINE_PIN_OUT);
    }
    asyncio_loop_t *loop = asyncio_get_event_loop();
    asyncio_task_detach(asyncio_loop_create_task(loop, main_task, NULL));
    asyncio_loop_run_forever(loop);
}
