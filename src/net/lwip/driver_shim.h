/* Until src/core/driver.h exists: the driver calls of CONTRACT §1 that the
 * lwIP transport uses, over the core's internal wait primitives. */
#ifndef CASYNCIO_LWIP_DRIVER_SHIM_H
#define CASYNCIO_LWIP_DRIVER_SHIM_H

#include "asyncio.h"

#define DRIVER_NO_DEADLINE UINT64_MAX
typedef void (*driver_interrupt_fn)(asyncio_task_t *t, int reason);
int driver_wait_begin(asyncio_task_t **self);
int driver_wait(asyncio_task_t *self, asyncio_waitq_t *q, uint64_t deadline_us,
                driver_interrupt_fn on_interrupt, void *data);
void driver_wake(asyncio_task_t *t, int result);
void *driver_wait_data(const asyncio_task_t *t);
asyncio_loop_t *driver_task_loop(const asyncio_task_t *t);

#endif
