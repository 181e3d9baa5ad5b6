"""queue: one producer, one consumer, a queue of capacity 64."""

import asyncio

from common import emit, now_s

ITEMS = 500_000
CAPACITY = 64


async def producer(q):
    for i in range(ITEMS):
        await q.put(i)


async def consumer(q, total):
    for _ in range(ITEMS):
        total[0] += await q.get()


async def main():
    q = asyncio.Queue(maxsize=CAPACITY)
    total = [0]
    t0 = now_s()
    await asyncio.gather(asyncio.create_task(producer(q)),
                         asyncio.create_task(consumer(q, total)))
    elapsed = now_s() - t0
    assert total[0] == ITEMS * (ITEMS - 1) // 2
    emit(items_per_s=ITEMS / elapsed)


asyncio.run(main())
