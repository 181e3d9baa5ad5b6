"""timers: 100,000 tasks, each sleeping a random 0-1000 ms once, in real time.
Each task measures its own lateness (wake time - deadline) with the loop
clock. Also reported: how long the loop took to start every task (the first
pass), the worst lateness of the sleeps of 1 ms or more (asyncio.sleep(0) is a
yield), and the worst lateness of the sleeps whose deadline falls after the
first pass."""

import asyncio
import random

from common import emit, now_s

TASKS = 100_000
SEED = 12345


async def sleeper(slot):
    loop = asyncio.get_running_loop()
    slot["started"] = loop.time()
    slot["deadline"] = slot["started"] + slot["ms"] / 1000
    await asyncio.sleep(slot["ms"] / 1000)
    slot["late"] = loop.time() - slot["deadline"]


async def main():
    rng = random.Random(SEED)
    slots = []
    t0 = now_s()
    tasks = []
    for _ in range(TASKS):
        slots.append({"ms": rng.randint(0, 1000)})
        tasks.append(asyncio.create_task(sleeper(slots[-1])))
    await asyncio.gather(*tasks)
    elapsed = now_s() - t0
    first_start = min(s["started"] for s in slots)
    last_start = max(s["started"] for s in slots)
    after = [s["late"] for s in slots if s["deadline"] > last_start]
    emit(total_s=elapsed,
         worst_late_us=max(s["late"] for s in slots) * 1e6,
         worst_late_timed_us=max(s["late"] for s in slots if s["ms"] > 0) * 1e6,
         start_pass_us=(last_start - first_start) * 1e6,
         worst_late_after_start_us=max(after, default=0.0) * 1e6,
         early_wakes=sum(1 for s in slots if s["late"] < 0))


asyncio.run(main())
