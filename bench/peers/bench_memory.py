"""memory: RSS per sleeping task, 10,000 tasks."""

import asyncio

from common import emit, rss_bytes

TASKS = 10_000


async def sleeper():
    await asyncio.sleep(3600)


async def main():
    before = rss_bytes()
    tasks = [asyncio.create_task(sleeper()) for _ in range(TASKS)]
    await asyncio.sleep(0)  # every task runs once, up to its sleep
    after = rss_bytes()
    for t in tasks:
        t.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert all(isinstance(r, asyncio.CancelledError) for r in results)
    emit(bytes_per_task=(after - before) / TASKS)


asyncio.run(main())
