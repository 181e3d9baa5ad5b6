/*
 * Ownership of a bus (an I2C or SPI controller, the ADC) by one task at a
 * time, handed to the waiting tasks in the order they asked: the lock inside
 * each driver. Unlike asyncio_lock_t, the bus may be released by the driver
 * itself (loop context) after its owner has left, when a cancelled transfer
 * is still being wound down by the hardware.
 */
#ifndef CASYNCIO_RP2_BUS_H
#define CASYNCIO_RP2_BUS_H

#include <stdbool.h>

#include "../../core/driver.h"

struct rp2_bus_waiter;

typedef struct rp2_bus {
    bool busy;                          /* private */
    struct rp2_bus_waiter *head, *tail; /* private: FIFO of waiting tasks */
} rp2_bus_t;

/* Takes the bus, suspending while another has it. Returns 0 (the caller now
 * owns the bus and must release it), or -EPERM / -ECANCELED / -ETIMEDOUT /
 * -ENOMEM (not taken). */
int rp2_bus_acquire(rp2_bus_t *b);

/* Takes the bus (rp2_bus_acquire), then begins the transfer's wait
 * (driver_wait_begin: *self is the calling task) with the driver's deferred
 * record `done` on that task's loop. 0 (the caller owns the bus and waits
 * with driver_wait next), or a negative errno (the bus not taken). */
int rp2_bus_acquire_for_transfer(rp2_bus_t *b, driver_deferred_t *done, asyncio_task_t **self);

/* Gives the bus to the first waiting task, or frees it. Loop context. */
void rp2_bus_release(rp2_bus_t *b);

#endif
