"""lock: 100 tasks take turns on one lock; each holds it across a yield."""

import asyncio

from common import emit, now_s

TASKS = 100
ROUNDS = 1000


async def worker(lock, state):
    for _ in range(ROUNDS):
        async with lock:
            state["holders"] += 1
            assert state["holders"] == 1
            await asyncio.sleep(0)
            state["holders"] -= 1
            state["acquired"] += 1


async def main():
    lock = asyncio.Lock()
    state = {"holders": 0, "acquired": 0}
    tasks = [asyncio.create_task(worker(lock, state)) for _ in range(TASKS)]
    t0 = now_s()
    await asyncio.gather(*tasks)
    elapsed = now_s() - t0
    assert state["acquired"] == TASKS * ROUNDS
    emit(ns_per_handoff=elapsed * 1e9 / (TASKS * ROUNDS))


asyncio.run(main())
