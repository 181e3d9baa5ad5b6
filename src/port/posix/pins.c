/*
 * Simulated pins for the host. Outputs remember their level and every change
 * with the loop's time; inputs read what a test (or the keyboard, in the
 * demos) drives, else their pull. Edges on inputs wake machine_pin_wait_edge
 * through a ThreadSafeFlag per pin, as the RP2040's GPIO interrupt does.
 * ASYNCIO_VCD=path writes every change to a VCD file for GTKWave, PulseView
 * or Surfer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../include/machine.h"
#include "../../core/driver.h"

struct sim_pin {
    bool configured, driven;
    uint8_t mode, pull, level, drive_level;
    uint8_t last_edge; /* MACHINE_PIN_RISING / _FALLING, consumed by wait_edge */
    bool waited_on;    /* a task is in machine_pin_wait_edge */
    asyncio_flag_t edge_flag;
    uint64_t *changes;
    unsigned n_changes, cap_changes;
};

static struct sim_pin pins[MACHINE_PIN_COUNT];
static machine_pin_observer_fn observer;
static void *observer_ctx;
static FILE *vcd;
static bool vcd_opened;
static uint64_t vcd_last_time = UINT64_MAX;

static uint64_t sim_time(void) {
    return asyncio_ticks_us(); /* the running loop's, else the default's */
}

static void vcd_close(void) {
    if (vcd) fclose(vcd);
    vcd = NULL;
}

static void vcd_open(void) {
    vcd_opened = true;
    const char *path = getenv("ASYNCIO_VCD");
    if (!path || !*path || !(vcd = fopen(path, "w"))) return;
    fprintf(vcd, "$timescale 1us $end\n$scope module casyncio $end\n");
    for (unsigned g = 0; g < MACHINE_PIN_COUNT; g++)
        fprintf(vcd, "$var wire 1 %c gpio%u $end\n", (char)('!' + g), g);
    fprintf(vcd, "$upscope $end\n$enddefinitions $end\n");
    atexit(vcd_close);
}

static void vcd_record(unsigned gpio, int level, uint64_t t) {
    if (!vcd_opened) vcd_open();
    if (!vcd) return;
    if (t != vcd_last_time) fprintf(vcd, "#%llu\n", (unsigned long long)t);
    vcd_last_time = t;
    fprintf(vcd, "%d%c\n", level, (char)('!' + gpio));
    fflush(vcd);
}

static void record_change(unsigned gpio, int level) {
    struct sim_pin *p = &pins[gpio];
    uint64_t t = sim_time();
    if (p->n_changes == p->cap_changes) {
        unsigned cap = p->cap_changes ? p->cap_changes * 2 : 64;
        uint64_t *grown = realloc(p->changes, cap * sizeof *grown);
        if (grown) {
            p->changes = grown;
            p->cap_changes = cap;
        }
    }
    if (p->n_changes < p->cap_changes) p->changes[p->n_changes++] = t;
    vcd_record(gpio, level, t);
    if (observer) observer(gpio, level, t, observer_ctx);
}

/* The level a pin shows now, and what happens when it changes. */
static int input_level(const struct sim_pin *p) {
    if (p->driven) return p->drive_level;
    return p->pull == MACHINE_PIN_PULL_UP;
}

static void set_level(unsigned gpio, int level) {
    struct sim_pin *p = &pins[gpio];
    if (p->level == level) return;
    p->level = (uint8_t)level;
    p->last_edge = level ? MACHINE_PIN_RISING : MACHINE_PIN_FALLING;
    record_change(gpio, level);
    asyncio_flag_set(&p->edge_flag);
}

int machine_pin_init(machine_pin_t *pin, unsigned gpio, machine_pin_mode_t mode) {
    if (!pin || gpio >= MACHINE_PIN_COUNT || (mode != MACHINE_PIN_IN && mode != MACHINE_PIN_OUT))
        return -EINVAL;
    pin->gpio = (uint8_t)gpio;
    pin->mode = (uint8_t)mode;
    struct sim_pin *p = &pins[gpio];
    p->configured = true;
    p->mode = (uint8_t)mode;
    set_level(gpio, mode == MACHINE_PIN_OUT ? 0 : input_level(p));
    return 0;
}

void machine_pin_pull(machine_pin_t *pin, machine_pin_pull_t pull) {
    if (!pin || pin->gpio >= MACHINE_PIN_COUNT) return;
    struct sim_pin *p = &pins[pin->gpio];
    p->pull = (uint8_t)pull;
    if (p->mode == MACHINE_PIN_IN) set_level(pin->gpio, input_level(p));
}

void machine_pin_value_set(machine_pin_t *pin, int v) {
    if (!pin || pin->gpio >= MACHINE_PIN_COUNT || pin->mode != MACHINE_PIN_OUT) return;
    set_level(pin->gpio, v != 0);
}

void machine_pin_on(machine_pin_t *pin) { machine_pin_value_set(pin, 1); }
void machine_pin_off(machine_pin_t *pin) { machine_pin_value_set(pin, 0); }

void machine_pin_toggle(machine_pin_t *pin) {
    if (!pin || pin->gpio >= MACHINE_PIN_COUNT) return;
    machine_pin_value_set(pin, !pins[pin->gpio].level);
}

int machine_pin_value(const machine_pin_t *pin) {
    if (!pin || pin->gpio >= MACHINE_PIN_COUNT) return 0;
    return pins[pin->gpio].level;
}

int machine_pin_wait_edge(machine_pin_t *pin, unsigned edges) {
    if (!pin || pin->gpio >= MACHINE_PIN_COUNT) return -EINVAL;
    if (!(edges & (MACHINE_PIN_RISING | MACHINE_PIN_FALLING))) return -EINVAL;
    struct sim_pin *p = &pins[pin->gpio];
    if (!asyncio_current_task()) return -EPERM;
    if (p->waited_on) return -EBUSY; /* one waiter per pin, as on the board */
    p->waited_on = true;
    asyncio_flag_clear(&p->edge_flag); /* only edges from now on */
    int result;
    do {
        result = asyncio_flag_wait(&p->edge_flag);
        if (result == 0 && (p->last_edge & edges)) result = p->last_edge;
    } while (result == 0);
    p->waited_on = false;
    return result;
}

int machine_pin_sim_drive(unsigned gpio, int level) {
    if (gpio >= MACHINE_PIN_COUNT) return -EINVAL;
    struct sim_pin *p = &pins[gpio];
    if (p->configured && p->mode == MACHINE_PIN_OUT) return -EPERM;
    p->driven = true;
    p->drive_level = level != 0;
    set_level(gpio, p->drive_level);
    return 0;
}

void machine_pin_sim_observe(machine_pin_observer_fn fn, void *ctx) {
    observer = fn;
    observer_ctx = ctx;
}

unsigned machine_pin_sim_changes(unsigned gpio) {
    return gpio < MACHINE_PIN_COUNT ? pins[gpio].n_changes : 0;
}

uint64_t machine_pin_sim_change_time(unsigned gpio, unsigned i) {
    if (gpio >= MACHINE_PIN_COUNT || i >= pins[gpio].n_changes) return UINT64_MAX;
    return pins[gpio].changes[i];
}

void machine_pin_sim_reset(void) {
    for (unsigned g = 0; g < MACHINE_PIN_COUNT; g++) free(pins[g].changes);
    memset(pins, 0, sizeof pins);
    observer = NULL;
    observer_ctx = NULL;
}
