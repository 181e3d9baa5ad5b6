/*
 * The AN505 port's defaults for the public headers (CONTRACT: each one
 * overridable by defining it first, e.g. with -D). The same as the RP2040's:
 * this port runs the firmware tests of a Cortex-M33 Pico 2 in qemu, and a
 * firmware that fits there must fit here.
 */
#ifndef CASYNCIO_ASYNCIO_PORT_CONFIG_H
#define CASYNCIO_ASYNCIO_PORT_CONFIG_H

#if !defined(ASYNCIO_DEFAULT_STACK)
#define ASYNCIO_DEFAULT_STACK 1024u /* stack of a task created without opts */
#endif
#if !defined(ASYNCIO_MIN_STACK)
#define ASYNCIO_MIN_STACK 256u /* smallest stack_size accepted */
#endif
#if !defined(ASYNCIO_THREADSAFE_SLOTS)
#define ASYNCIO_THREADSAFE_SLOTS 8u /* call_soon_threadsafe ring entries */
#endif
/* MACHINE_PIN_COUNT: none; this port drives no pins (machine.h is unused). */

#endif
