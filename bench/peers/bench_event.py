"""event: ping-pong between two tasks over two events."""

import asyncio

from common import emit, now_s

ROUNDS = 100_000


async def pinger(ping, pong):
    for _ in range(ROUNDS):
        ping.set()
        await pong.wait()
        pong.clear()


async def ponger(ping, pong, count):
    for _ in range(ROUNDS):
        await ping.wait()
        ping.clear()
        count[0] += 1
        pong.set()


async def main():
    ping, pong = asyncio.Event(), asyncio.Event()
    count = [0]
    t0 = now_s()
    await asyncio.gather(asyncio.create_task(pinger(ping, pong)),
                         asyncio.create_task(ponger(ping, pong, count)))
    elapsed = now_s() - t0
    assert count[0] == ROUNDS
    emit(ns_per_round_trip=elapsed * 1e9 / ROUNDS)


asyncio.run(main())
