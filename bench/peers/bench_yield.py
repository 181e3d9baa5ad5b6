"""yield: 1,000 tasks, each awaiting asyncio.sleep(0) 1,000 times."""

import asyncio

from common import emit, now_s

TASKS = 1000
YIELDS = 1000


async def worker(counts, i):
    for _ in range(YIELDS):
        await asyncio.sleep(0)
        counts[i] += 1


async def main():
    counts = [0] * TASKS
    tasks = [asyncio.create_task(worker(counts, i)) for i in range(TASKS)]
    t0 = now_s()
    await asyncio.gather(*tasks)
    elapsed = now_s() - t0
    switches = TASKS * YIELDS
    assert sum(counts) == switches
    emit(ns_per_switch=elapsed * 1e9 / switches)


asyncio.run(main())
