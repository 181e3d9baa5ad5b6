"""memory: RSS per sleeping task, 10,000 and 100,000 tasks, each count in a
process of its own. CPython has one kind of task: its figures stand beside
casyncio's private-stack and shared-stack tasks alike."""

import asyncio
import subprocess
import sys

from common import emit, rss_bytes


async def sleeper():
    await asyncio.sleep(3600)


async def measure(n):
    before = rss_bytes()
    tasks = [asyncio.create_task(sleeper()) for _ in range(n)]
    await asyncio.sleep(0)  # every task runs once, up to its sleep
    after = rss_bytes()
    for t in tasks:
        t.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert all(isinstance(r, asyncio.CancelledError) for r in results)
    return (after - before) / n


def in_own_process(n):
    out = subprocess.run([sys.executable, __file__, str(n)], capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip())


if len(sys.argv) == 2:
    print(asyncio.run(measure(int(sys.argv[1]))))
else:
    small, large = in_own_process(10_000), in_own_process(100_000)
    emit(bytes_per_task=small, bytes_per_task_100k=large, shared_bytes_per_task=small,
         shared_bytes_per_task_100k=large)
