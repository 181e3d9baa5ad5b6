"""spawn: create and await 100,000 trivial tasks: in batches of 1,000, and
all at once in a fresh process (CPython's tasks are alike either way: its
"cold" figure stands beside casyncio's private-stack and shared-stack ones)."""

import asyncio
import subprocess
import sys

from common import emit, now_s

TOTAL = 100_000
BATCH = 1000


async def trivial(i):
    return i


async def spawn(batch):
    checksum = 0
    t0 = now_s()
    for b in range(TOTAL // batch):
        tasks = [asyncio.create_task(trivial(b * batch + i)) for i in range(batch)]
        checksum += sum(await asyncio.gather(*tasks))
    elapsed = now_s() - t0
    assert checksum == TOTAL * (TOTAL - 1) // 2
    return TOTAL / elapsed


def in_own_process(batch):
    out = subprocess.run([sys.executable, __file__, str(batch)], capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip())


if len(sys.argv) == 2:
    print(asyncio.run(spawn(int(sys.argv[1]))))
else:
    cold = in_own_process(TOTAL)
    emit(tasks_per_s=in_own_process(BATCH), cold_tasks_per_s=cold, shared_cold_tasks_per_s=cold)
