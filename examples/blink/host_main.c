/*
 * The host's stand-in for a board: runs the blink program (main.c, renamed
 * blink_main at build time so that it stays the very program that runs on
 * the Pico) and shows its two LEDs in the terminal.
 *
 *   blink [--seconds N]     stop after N seconds (default: until Ctrl-C)
 *
 * On a terminal the LEDs are redrawn in place (coloured ● / ○ with their GPIO
 * numbers and the loop time); otherwise each change is one plain line.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asyncio.h"
#include "machine.h"

int blink_main(void);

static asyncio_flag_t interrupted = ASYNCIO_FLAG_INIT;
static bool on_terminal;
static int levels[MACHINE_PIN_COUNT];

static void on_sigint(int sig) {
    (void)sig;
    asyncio_flag_set(&interrupted); /* async-signal-safe */
}

static void draw_led(unsigned gpio, const char *colour) {
    printf("  %s%s\033[0m GPIO %u", levels[gpio] ? colour : "\033[2m", levels[gpio] ? "●" : "○",
           gpio);
}

static void show_change(unsigned gpio, int level, uint64_t time_us, void *ctx) {
    (void)ctx;
    levels[gpio] = level;
    double t = (double)time_us / 1e6;
    if (!on_terminal) {
        printf("%10.6f s  GPIO %u %s\n", t, gpio, level ? "on" : "off");
        return;
    }
    printf("\r");
    draw_led(20, "\033[1;32m");
    draw_led(19, "\033[1;34m");
    printf("   t = %9.3f s ", t);
    fflush(stdout);
}

static void stop_loop(void *loop) { asyncio_loop_stop(loop); }

static int stop_on_ctrl_c(void *loop) {
    if (asyncio_flag_wait(&interrupted) == 0) asyncio_loop_stop(loop);
    return 0;
}

int main(int argc, char **argv) {
    double seconds = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            seconds = atof(argv[++i]);
        } else {
            fprintf(stderr, "usage: %s [--seconds N]\n", argv[0]);
            return 2;
        }
    }
    on_terminal = isatty(STDOUT_FILENO);
    machine_pin_sim_observe(show_change, NULL);
    asyncio_loop_t *loop = asyncio_get_event_loop();
    if (!loop) return 1;
    signal(SIGINT, on_sigint);
    asyncio_task_detach(asyncio_loop_create_task(loop, stop_on_ctrl_c, loop));
    if (seconds > 0) asyncio_loop_call_later_ms(loop, (uint32_t)(seconds * 1000), stop_loop, loop);
    blink_main(); /* returns when the loop stops */
    if (on_terminal) printf("\n");
    printf("stopped at t = %.3f s: GPIO 20 toggled %u times, GPIO 19 %u times\n",
           (double)asyncio_loop_time_us(loop) / 1e6, machine_pin_sim_changes(20),
           machine_pin_sim_changes(19));
    asyncio_loop_close(loop);
    machine_pin_sim_reset();
    return 0;
}
