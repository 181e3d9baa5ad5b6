/*
 * The AN505 port's configuration, as Lua's luaconf.h: every setting is a
 * default a program may override by defining it first (e.g. with -D). The
 * same as the RP2040's (../cortex-m/cortexm_config.h): this port runs the
 * firmware tests of a Cortex-M33 Pico 2 in qemu, and a firmware that fits
 * there must fit here.
 */
#ifndef ASYNCIO_PORT_CONFIG_H
#define ASYNCIO_PORT_CONFIG_H

/* MACHINE_PIN_COUNT: none; this port drives no pins (machine.h is unused). */

#include "../cortex-m/cortexm_config.h"

#endif
