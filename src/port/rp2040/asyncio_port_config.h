/*
 * The bare-metal RP2040 port's configuration, as Lua's luaconf.h: every
 * setting is a default a firmware may override by defining it first (for the
 * library and the program alike, e.g. target_compile_definitions(casyncio
 * PUBLIC ASYNCIO_UART_RX_SIZE=1024u)). The public headers include this file
 * (it is on the library's public include path), so they need test no CPU or
 * OS macro.
 */
#ifndef ASYNCIO_PORT_CONFIG_H
#define ASYNCIO_PORT_CONFIG_H

/* GPIO 0..29. */
#if !defined(MACHINE_PIN_COUNT)
#define MACHINE_PIN_COUNT 30u
#endif

/* Real pins: machine.h's simulation calls do not exist here. */
#if !defined(MACHINE_PIN_SIMULATED)
#define MACHINE_PIN_SIMULATED 0
#endif

/* clk_peri, which the start-up (boot2's clock set-up) runs from clk_sys:
 * the drivers' baud rates and dividers are computed from it. */
#if !defined(RP2_CLK_PERI_HZ)
#define RP2_CLK_PERI_HZ 125000000u
#endif

/* The UART stream's rings (powers of two; static RAM in firmware that opens
 * the stream). */
#if !defined(ASYNCIO_UART_RX_SIZE)
#define ASYNCIO_UART_RX_SIZE 256u
#endif
#if !defined(ASYNCIO_UART_TX_SIZE)
#define ASYNCIO_UART_TX_SIZE 256u
#endif

/* Stack sizes, the threadsafe ring and the loop's PORT_* settings: those of
 * every bare-metal Cortex-M port. */
#include "../cortex-m/cortexm_config.h"

#endif
