/*
 * The host's stand-in for the board: the sensor-display program (app.c)
 * against a simulated BMP280 and SSD1306 (sim_devices.c), the display drawn
 * in the terminal, and the button on the keyboard.
 *
 *   sensor-display [--seconds N] [--port P]
 *     --seconds N  stop after N seconds (default: until q or Ctrl-C)
 *     --port P     also serve the LED web page, with the readings, on
 *                  127.0.0.1:P (0: any free port; without --port no web
 *                  server); the server then blinks the LEDs, and its page
 *                  switches them
 *
 * On a terminal: space or b presses the button (for 150 ms), q quits; the
 * display's top rows are redrawn in place with the LEDs under them.
 * Otherwise each reading and page change is one plain line.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "app.h"
#include "asyncio.h"
#include "asyncio_stream.h"
#include "machine.h"
#include "machine_sim.h"
#include "sim_devices.h"
#include "web.h"

#define SHOWN_ROWS 40u /* the display's rows with text on them */

static sim_bmp280_t sensor;
static sim_ssd1306_t display;
static asyncio_flag_t interrupted = ASYNCIO_FLAG_INIT;
static bool on_terminal, drawn_once;
static struct termios saved_termios;
static int led[MACHINE_PIN_COUNT];

static void on_sigint(int sig) {
    (void)sig;
    asyncio_flag_set(&interrupted);
}

static bool pixel(const sim_ssd1306_t *d, unsigned x, unsigned y) {
    return (d->frame[y / 8u][x] >> (y % 8u)) & 1u;
}

/* The display's text rows, two pixel rows a character, then the LEDs. */
static void draw(void) {
    if (!on_terminal) return;
    if (drawn_once) printf("\033[%uA", SHOWN_ROWS / 2u + 2u);
    drawn_once = true;
    static const char *const cells[4] = {" ", "\u2580", "\u2584", "\u2588"};
    for (unsigned y = 0; y < SHOWN_ROWS; y += 2) {
        printf("\r  ");
        for (unsigned x = 0; x < 128; x++)
            printf("%s", cells[pixel(&display, x, y) | pixel(&display, x, y + 1) << 1]);
        printf("\n");
    }
    printf("\r  %s\u25cf\033[0m GPIO 20   %s\u25cf\033[0m GPIO 19   t = %.3f s   [space: button, "
           "q: quit]\n\n",
           led[20] ? "\033[1;32m" : "\033[2m", led[19] ? "\033[1;34m" : "\033[2m",
           (double)asyncio_ticks_us() / 1e6);
    fflush(stdout);
}

static void frame_received(sim_ssd1306_t *d) {
    (void)d;
    draw();
}

static void pin_changed(unsigned gpio, int level, uint64_t time_us, void *ctx) {
    (void)time_us;
    (void)ctx;
    led[gpio] = level;
    if (gpio == 19 || gpio == 20) draw();
}

static void release_button(void *arg) {
    (void)arg;
    machine_pin_sim_drive(APP_BUTTON, 1);
}

/* The keyboard: raw mode, one key at a time. */
static void restore_terminal(void) { tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios); }

static int read_keys(void *loop) {
    struct termios raw;
    if (tcgetattr(STDIN_FILENO, &saved_termios) != 0) return 0;
    raw = saved_termios;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    atexit(restore_terminal);
    for (;;) {
        if (asyncio_wait_readable(STDIN_FILENO) < 0) return 0;
        char c;
        if (read(STDIN_FILENO, &c, 1) != 1 || c == 'q') break;
        if (c == ' ' || c == 'b') {
            machine_pin_sim_drive(APP_BUTTON, 0);
            asyncio_loop_call_later_ms(loop, 150, release_button, NULL);
        }
    }
    asyncio_loop_stop(loop);
    return 0;
}

static int stop_on_ctrl_c(void *loop) {
    if (asyncio_flag_wait(&interrupted) == 0) asyncio_loop_stop(loop);
    return 0;
}

static void stop_loop(void *loop) { asyncio_loop_stop(loop); }

static bool serve_web;

/* The program, with the web server beside it when a port was given. */
static int start(void *arg) {
    const webapp_config_t *web = arg;
    if (!serve_web) return app_main(NULL);
    webapp_t *server;
    int err = sensor_web_start(web, &server);
    if (err) {
        fprintf(stderr, "cannot start: %s\n", strerror(-err));
        asyncio_loop_stop(asyncio_get_event_loop());
    }
    return err;
}

/* The room warms up by 0.01 C every second or so. */
static void drift(void *arg) {
    static int32_t raw_t = 519888;
    raw_t += 30;
    sim_bmp280_set_raw(&sensor, raw_t, 415148);
    asyncio_loop_call_later_ms(arg, 1000, drift, arg);
}

int main(int argc, char **argv) {
    double seconds = 0;
    static webapp_config_t web = {.host = "127.0.0.1"};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            seconds = atof(argv[++i]);
        } else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
            web.port = (uint16_t)atoi(argv[++i]);
            serve_web = true;
        } else {
            fprintf(stderr, "usage: %s [--seconds N] [--port P]\n", argv[0]);
            return 2;
        }
    }
    on_terminal = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
    machine_pin_sim_drive(APP_BUTTON, 1); /* released: the pull-up */
    display.on_frame = frame_received;
    if (sim_bmp280_attach(&sensor, 0, 0x76) != 0 || sim_ssd1306_attach(&display, 0, 0x3c) != 0)
        return 1;
    machine_pin_sim_observe(pin_changed, NULL);
    asyncio_loop_t *loop = asyncio_get_event_loop();
    if (!loop) return 1;
    signal(SIGINT, on_sigint);
    asyncio_task_detach(asyncio_loop_create_task(loop, stop_on_ctrl_c, loop));
    if (on_terminal) {
        setvbuf(stdout, NULL, _IOFBF, 1 << 16);
        printf("\033[2J\033[H");
        asyncio_task_detach(asyncio_loop_create_task(loop, read_keys, loop));
    }
    if (seconds > 0) asyncio_loop_call_later_ms(loop, (uint32_t)(seconds * 1000), stop_loop, loop);
    asyncio_loop_call_later_ms(loop, 1000, drift, loop);
    asyncio_task_detach(asyncio_loop_create_task(loop, start, &web));
    asyncio_loop_run_forever(loop);
    printf("stopped at t = %.3f s: %u frames on the display\n",
           (double)asyncio_loop_time_us(loop) / 1e6, display.frames);
    return 0;
}
