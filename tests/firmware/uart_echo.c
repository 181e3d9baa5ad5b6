/*
 * The UART stream in the emulator (check.mjs uart; on pico-sdk,
 * tests/pico-sdk/check.mjs uart_stream): one task reads lines
 * with readline and writes each back uppercased, while another toggles
 * GPIO 25 every 10 ms on asyncio_sleep_until_us; the check measures those
 * periods to show the loop stays responsive while the UART is busy.
 *
 * What the firmware says, line by line (the check feeds the input):
 *   "timeout ok"            a readline under a 5 ms scope, before any input,
 *                           returned -ETIMEDOUT
 *   "ready"
 *   each line uppercased, then "[n]" from printf (bare metal: the console
 *     goes through the TX ring, so it comes after the stream's bytes; on
 *     pico-sdk it is stdio's, on UART0, while the stream is UART1)
 *   a line longer than LINE_MAX: "readline -EMSGSIZE", then the line
 *     uppercased all the same, read in parts with asyncio_stream_read
 *   "pause": stops reading for PAUSE_MS, then "dropped D buffered B", and
 *     skips the rest of the current line
 *   "flood": FLOOD_LINES numbered lines, four times the TX ring, so writes
 *     wait for room; then a drain under a 1 ms timeout (-ETIMEDOUT, nothing
 *     lost), a full drain, and (printf) how long writing and draining took
 *   "quit": "bye: L lines, D dropped", drains, closes, exits 0
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "asyncio.h"
#include "asyncio_stream.h"
#include "machine.h"

/* The stream's UART: bare metal, UART0 (the console's); pico-sdk, UART1
 * (stdio_uart has UART0). */
#ifdef CASYNCIO_PORT_PICO_SDK
#define ECHO_UART 1
#else
#define ECHO_UART 0
#endif

#define LED_GPIO      25
#define LED_PERIOD_US 10000
#define LINE_MAX      32
#define PAUSE_MS      100
#define FLOOD_LINES   25 /* of 40 bytes: 1,000 bytes */

static asyncio_stream_t *uart;
static machine_pin_t led;
static unsigned lines;

static int blink(void *arg) {
    (void)arg;
    uint64_t next = asyncio_ticks_us();
    for (;;) {
        machine_pin_toggle(&led);
        next += LED_PERIOD_US;
        if (asyncio_sleep_until_us(next) < 0) return 0;
    }
}

static int say(const char *text) {
    ssize_t n = asyncio_stream_write(uart, text, strlen(text));
    return n < 0 ? (int)n : 0;
}

static int echo_upper(char *buf, size_t n) {
    for (size_t i = 0; i < n; i++) buf[i] = (char)toupper((unsigned char)buf[i]);
    ssize_t w = asyncio_stream_write(uart, buf, n);
    return w < 0 ? (int)w : 0;
}

/* The rest of a line, in parts (readline says whether the '\n' is among
 * the next LINE_MAX bytes; if not, those bytes are all there to take);
 * echoed uppercased unless `echo` is false. */
static int rest_of_line(bool echo) {
    char part[LINE_MAX];
    for (;;) {
        ssize_t n = asyncio_stream_readline(uart, part, sizeof part);
        if (n == -EMSGSIZE)
            n = asyncio_stream_readexactly(uart, part, sizeof part);
        else if (n > 0 && part[n - 1] != '\n')
            return -EPROTO;
        if (n < 0) return (int)n;
        if (echo && echo_upper(part, (size_t)n) < 0) return -EIO;
        if (part[n - 1] == '\n') return 0;
    }
}

static int pause_reading(void) {
    char report[48];
    if (asyncio_sleep_ms(PAUSE_MS) < 0) return -ECANCELED;
    snprintf(report, sizeof report, "dropped %lu buffered %u\n",
             (unsigned long)asyncio_stream_uart_rx_dropped(uart),
             (unsigned)asyncio_stream_buffered(uart));
    if (say(report) < 0) return -EIO;
    return rest_of_line(false);
}

static int flood(void) {
    char text[48];
    uint64_t start = asyncio_ticks_us();
    for (int i = 0; i < FLOOD_LINES; i++) {
        int len = snprintf(text, sizeof text, "flood %02d abcdefghijklmnopqrstuvwxyz0123\n", i);
        if (asyncio_stream_write(uart, text, (size_t)len) != len) return -EIO;
    }
    uint64_t written = asyncio_ticks_us();
    asyncio_timeout_t scope; /* a drain under a scope too short for it */
    asyncio_timeout_enter_ms(&scope, 1);
    int err = asyncio_stream_drain(uart);
    asyncio_timeout_exit(&scope);
    if (err != -ETIMEDOUT) return -EPROTO;
    if ((err = asyncio_stream_drain(uart))) return err;
    printf("flood: written in %lu us, drained in %lu us\n", (unsigned long)(written - start),
           (unsigned long)(asyncio_ticks_us() - written));
    return 0;
}

static int one_line(bool *quit) {
    char line[LINE_MAX];
    ssize_t n = asyncio_stream_readline(uart, line, sizeof line);
    if (n == -EMSGSIZE) {
        if (say("readline -EMSGSIZE\n") < 0) return -EIO;
        lines++;
        return rest_of_line(true);
    }
    if (n < 0) return (int)n;
    lines++;
    if (n == 5 && !memcmp(line, "quit\n", 5)) {
        *quit = true;
        return 0;
    }
    if (n == 6 && !memcmp(line, "pause\n", 6)) return pause_reading();
    if (n == 6 && !memcmp(line, "flood\n", 6)) return flood();
    if (echo_upper(line, (size_t)n) < 0) return -EIO;
    printf("[%u]\n", lines);
    return 0;
}

static int main_task(void *arg) {
    (void)arg;
    asyncio_task_t *blinker = asyncio_create_task(blink, NULL);
    asyncio_timeout_t scope;
    char line[LINE_MAX], report[48];
    asyncio_timeout_enter_ms(&scope, 5);
    ssize_t r = asyncio_stream_readline(uart, line, sizeof line);
    asyncio_timeout_exit(&scope);
    snprintf(report, sizeof report, "timeout %s\nready\n", r == -ETIMEDOUT ? "ok" : "WRONG");
    int err = say(report);
    for (bool quit = false; !err && !quit;) err = one_line(&quit);
    asyncio_task_cancel(blinker);
    asyncio_await(blinker);
    snprintf(report, sizeof report, "bye: %u lines, %lu dropped\n", lines,
             (unsigned long)asyncio_stream_uart_rx_dropped(uart));
    if (!err) err = say(report);
    int closed = asyncio_stream_close(uart);
    return err ? 20 : closed ? 21 : 0;
}

int main(void) {
    machine_pin_init(&led, LED_GPIO, MACHINE_PIN_OUT);
#ifdef CASYNCIO_PORT_PICO_SDK
    /* UART0 is stdio's: not taken over. There is no UART2. */
    if (asyncio_stream_uart(0, 115200) || errno != EBUSY) return 10;
    if (asyncio_stream_uart(2, 115200) || errno != EINVAL) return 13;
#else
    /* UART1 is not a stream here. */
    if (asyncio_stream_uart(1, 115200) || errno != EINVAL) return 10;
#endif
    if (asyncio_stream_uart(ECHO_UART, 0) || errno != EINVAL) return 14;
    uart = asyncio_stream_uart(ECHO_UART, 115200);
    if (!uart) return 11;
    if (asyncio_stream_uart(ECHO_UART, 115200) || errno != EBUSY) return 12;
    return asyncio_run(main_task, NULL);
}
