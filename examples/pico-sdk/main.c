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
 * The CPU sleeps whenever no task has work: the USB stack's interrupt tells
 * the command task that characters arrived through a ThreadSafeFlag.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "asyncio.h"
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

/* ---- reading lines from stdio (USB) without blocking the other tasks ---- */

static asyncio_flag_t input_ready = ASYNCIO_FLAG_INIT;

/* pico-sdk calls this from its USB interrupt when characters arrive. */
static void on_chars_available(void *param) {
    (void)param;
    asyncio_flag_set(&input_ready);
}

/* Reads one line (without its '\n' or '\r') into buf, suspending the task
 * until it is complete; a line longer than the buffer is cut. Returns its
 * length, or < 0 when the task is cancelled. */
static int read_line(char *buf, size_t size) {
    size_t n = 0;
    for (;;) {
        int c = getchar_timeout_us(0);
        if (c == PICO_ERROR_TIMEOUT) {
            int err = asyncio_flag_wait(&input_ready);
            if (err < 0) return err;
            continue;
        }
        if (c == '\r') continue;
        if (c == '\n') break;
        if (n + 1 < size) buf[n++] = (char)c;
    }
    buf[n] = '\0';
    return (int)n;
}

/* ---- the commands ------------------------------------------------------------ */

static struct led *find_led(const char *gpio) {
    for (size_t i = 0; i < sizeof leds / sizeof leds[0]; i++) {
        char name[4];
        snprintf(name, sizeof name, "%u", leds[i].gpio);
        if (strcmp(gpio, name) == 0) return &leds[i];
    }
    return NULL;
}

static void run_command(char *line) {
    char *cmd = strtok(line, " "), *a = strtok(NULL, " "), *b = strtok(NULL, " ");
    if (!cmd) return;
    if (strcmp(cmd, "help") == 0) {
        printf("commands: help, led <19|20> <on|off|blink>, time\n");
    } else if (strcmp(cmd, "time") == 0) {
        printf("time %lu ms\n", (unsigned long)asyncio_ticks_ms());
    } else if (strcmp(cmd, "led") == 0 && a && b && find_led(a)) {
        struct led *led = find_led(a);
        if (strcmp(b, "blink") == 0) {
            led_blink(led);
        } else if (strcmp(b, "on") == 0 || strcmp(b, "off") == 0) {
            led_hold(led, strcmp(b, "on") == 0);
        } else {
            printf("led: on, off or blink\n");
            return;
        }
        printf("led %u %s\n", led->gpio, b);
    } else {
        printf("unknown command '%s' (try help)\n", cmd);
    }
}

static int command_prompt(void *arg) {
    (void)arg;
    stdio_set_chars_available_callback(on_chars_available, NULL);
    char line[64];
    printf("casyncio on pico-sdk: type help\n");
    for (;;) {
        int n = read_line(line, sizeof line);
        if (n < 0) return n;
        run_command(line);
    }
}

static int main_task(void *arg) {
    (void)arg;
    for (size_t i = 0; i < sizeof leds / sizeof leds[0]; i++) led_blink(&leds[i]);
    /* printf through the USB stack wants more than the default 1 KiB */
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
