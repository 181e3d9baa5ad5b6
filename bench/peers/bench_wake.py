"""wake: the cost of a timer wake-up as the number of sleeping tasks grows.
For 10,000, 100,000 and 1,000,000 tasks in turn, on a loop with virtual time
(its clock jumps to the next deadline instead of sleeping, as casyncio's
virtual time does): each task sleeps a random 1 us - 1 s once (fixed seed);
once the last one has started its sleep, the process CPU time until the last
one wakes, divided by the number of tasks, is the cost of one wake-up."""

import asyncio
import random
import selectors
import sys
import time

from common import emit

SEED = 12345
MAX_SLEEP_US = 1_000_000


class JumpingSelector(selectors.DefaultSelector):
    """Polls without blocking; a wait for `timeout` moves the clock instead."""

    def __init__(self):
        super().__init__()
        self.now = 0.0

    def select(self, timeout=None):
        if timeout:
            self.now += timeout
        return super().select(0)


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        self._clock = JumpingSelector()
        super().__init__(self._clock)

    def time(self):
        return self._clock.now


class Run:
    def __init__(self, tasks):
        self.tasks = tasks
        self.started = self.woken = 0
        self.all_asleep = self.all_woken = 0.0
        self.rng = random.Random(SEED)


async def sleeper(run):
    us = 1 + run.rng.randrange(MAX_SLEEP_US)
    run.started += 1
    if run.started == run.tasks:
        run.all_asleep = time.process_time()
    await asyncio.sleep(us / 1e6)
    run.woken += 1
    if run.woken == run.tasks:
        run.all_woken = time.process_time()


async def spawn_and_wait(run):
    await asyncio.gather(*[asyncio.create_task(sleeper(run)) for _ in range(run.tasks)])


def measure(n):
    """ns per wake-up with n sleeping tasks"""
    loop = VirtualTimeLoop()
    run = Run(n)
    loop.run_until_complete(spawn_and_wait(run))
    loop.close()
    if run.woken != n:
        sys.exit("not every sleeper woke")
    return (run.all_woken - run.all_asleep) / n * 1e9


if len(sys.argv) == 2:  # one count only: bench_wake.py 1000000
    emit(wake_ns=measure(int(sys.argv[1])))
else:
    ns_10k, ns_100k, ns_1m = measure(10_000), measure(100_000), measure(1_000_000)
    emit(wake_ns_10k=ns_10k, wake_ns_100k=ns_100k, wake_ns_1m=ns_1m,
         wake_growth_1m_100k=ns_1m / ns_100k)
