/*
 * The pico-sdk port's configuration, as Lua's luaconf.h: every setting is a
 * default a program may override by defining it first, for the library and
 * the program alike (target_compile_definitions(casyncio PUBLIC
 * ASYNCIO_DEFAULT_STACK=2048u)). The public headers include this file.
 */
#ifndef ASYNCIO_PORT_CONFIG_H
#define ASYNCIO_PORT_CONFIG_H

/* The chip's size, as the SDK's headers say for the board being built:
 * GPIO 0..29 on the RP2040 and the RP2350A, 0..47 on the RP2350B (a board
 * header with PICO_RP2350A 0); the ADC's pins and channels (GPIO 26..29
 * and the temperature sensor as channel 4, or 40..47 and 8). Only these
 * macro headers: the core, which includes this file, is built with
 * -Wconversion, which the SDK's inline functions do not all pass. */
/* The board header marks settings for the SDK's CMake with two macros that
 * pico.h defines as nothing: so here too, for pico/config.h alone. */
#if !defined(pico_board_cmake_set)
#define pico_board_cmake_set(x, y)
#endif
#if !defined(pico_board_cmake_set_default)
#define pico_board_cmake_set_default(x, y)
#endif
#include "pico/config.h" /* first: the board header (PICO_RP2350A) */
#include "hardware/platform_defs.h"
#if !defined(MACHINE_PIN_COUNT)
#define MACHINE_PIN_COUNT NUM_BANK0_GPIOS
#endif
#if !defined(RP2_GPIO_COUNT)
#define RP2_GPIO_COUNT NUM_BANK0_GPIOS
#endif
#if !defined(RP2_ADC_FIRST_GPIO)
#define RP2_ADC_FIRST_GPIO ADC_BASE_PIN
#endif
#if !defined(RP2_ADC_CHANNELS)
#define RP2_ADC_CHANNELS NUM_ADC_CHANNELS
#endif
#if !defined(MACHINE_ADC_TEMPERATURE_CHANNEL)
#define MACHINE_ADC_TEMPERATURE_CHANNEL (NUM_ADC_CHANNELS - 1u)
#endif

/* The clocks the RP2 drivers (I2C, SPI, ADC, PWM) divide: as the program
 * has set them up, read from the SDK (clock_get_hz) whenever a driver
 * computes a rate. */
#include <stdint.h>
uint32_t casyncio_pico_clk_sys_hz(void);
uint32_t casyncio_pico_clk_peri_hz(void);
uint32_t casyncio_pico_clk_adc_hz(void);
#if !defined(RP2_CLK_SYS_HZ)
#define RP2_CLK_SYS_HZ casyncio_pico_clk_sys_hz()
#endif
#if !defined(RP2_CLK_PERI_HZ)
#define RP2_CLK_PERI_HZ casyncio_pico_clk_peri_hz()
#endif
#if !defined(RP2_CLK_ADC_HZ)
#define RP2_CLK_ADC_HZ casyncio_pico_clk_adc_hz()
#endif

/* The UART stream's rings (powers of two; static RAM, both UARTs', in
 * programs that open a stream), and the pins each UART's stream uses
 * (MicroPython's defaults: UART0 on GPIO 0/1, UART1 on GPIO 4/5). */
#if !defined(ASYNCIO_UART_RX_SIZE)
#define ASYNCIO_UART_RX_SIZE 256u
#endif
#if !defined(ASYNCIO_UART_TX_SIZE)
#define ASYNCIO_UART_TX_SIZE 256u
#endif
#if !defined(ASYNCIO_UART0_TX_PIN)
#define ASYNCIO_UART0_TX_PIN 0u
#endif
#if !defined(ASYNCIO_UART0_RX_PIN)
#define ASYNCIO_UART0_RX_PIN 1u
#endif
#if !defined(ASYNCIO_UART1_TX_PIN)
#define ASYNCIO_UART1_TX_PIN 4u
#endif
#if !defined(ASYNCIO_UART1_RX_PIN)
#define ASYNCIO_UART1_RX_PIN 5u
#endif

/* casyncio's memory (its loop, task records, task stacks, buffers) comes
 * from a heap of its own (port_heap.c) that grows through the SDK's sbrk
 * beside the program's malloc, which it never calls: a program that does
 * not allocate links no malloc. Serialised across cores and interrupts. */
#include <stddef.h>
void *casyncio_pico_malloc(size_t n);
void *casyncio_pico_realloc(void *p, size_t n);
void casyncio_pico_free(void *p);
/* Bytes of casyncio's heap in use (blocks with their headers), as
 * mallinfo().uordblks counts the program's. */
size_t casyncio_pico_heap_in_use(void);
#if !defined(PORT_MALLOC)
#define PORT_MALLOC(n)     casyncio_pico_malloc(n)
#define PORT_REALLOC(p, n) casyncio_pico_realloc(p, n)
#define PORT_FREE(p)       casyncio_pico_free(p)
#endif

/* Real pins: machine.h's simulation calls do not exist here. */
#if !defined(MACHINE_PIN_SIMULATED)
#define MACHINE_PIN_SIMULATED 0
#endif

/* The hardware spin locks the port takes: pico-sdk reserves these two for
 * an operating system beside it (hardware/sync.h). One guards the port's
 * critical sections, the other its atomic swaps (a swap may happen inside a
 * critical section). */
#if !defined(PORT_PICO_CRITICAL_SPIN_LOCK)
#define PORT_PICO_CRITICAL_SPIN_LOCK 14u /* PICO_SPINLOCK_ID_OS1 */
#endif
#if !defined(PORT_PICO_SWAP_SPIN_LOCK)
#define PORT_PICO_SWAP_SPIN_LOCK 15u /* PICO_SPINLOCK_ID_OS2 */
#endif


/* Stack sizes (from casyncio's heap), the threadsafe ring and the loop's
 * PORT_* settings: those of the bare-metal Cortex-M ports, for the same
 * chips' RAM (a slow-step threshold, when a program sets one, takes a
 * repeating timer from pico_time's alarm pool here). */
#include "../cortex-m/cortexm_config.h"

#endif
