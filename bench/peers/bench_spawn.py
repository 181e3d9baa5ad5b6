"""spawn: create and await 100,000 trivial tasks, in batches of 1,000."""

import asyncio

from common import emit, now_s

TOTAL = 100_000
BATCH = 1000


async def trivial(i):
    return i


async def main():
    checksum = 0
    t0 = now_s()
    for b in range(TOTAL // BATCH):
        tasks = [asyncio.create_task(trivial(b * BATCH + i)) for i in range(BATCH)]
        checksum += sum(await asyncio.gather(*tasks))
    elapsed = now_s() - t0
    assert checksum == TOTAL * (TOTAL - 1) // 2
    emit(tasks_per_s=TOTAL / elapsed)


asyncio.run(main())
