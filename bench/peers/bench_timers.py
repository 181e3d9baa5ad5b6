"""timers: 100,000 tasks, each sleeping a random 0-1000 ms once, in real time.
Each task measures its own lateness with the loop clock."""

import asyncio
import random

from common import emit, now_s

TASKS = 100_000
SEED = 12345


async def sleeper(ms, worst):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ms / 1000
    await asyncio.sleep(ms / 1000)
    late = loop.time() - deadline
    if late > worst[0]:
        worst[0] = late


async def main():
    rng = random.Random(SEED)
    worst = [0.0]
    t0 = now_s()
    tasks = [asyncio.create_task(sleeper(rng.randint(0, 1000), worst)) for _ in range(TASKS)]
    await asyncio.gather(*tasks)
    elapsed = now_s() - t0
    emit(total_s=elapsed, worst_late_us=worst[0] * 1e6)


asyncio.run(main())
