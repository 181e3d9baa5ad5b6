"""Shared helpers for the CPython asyncio peers: one JSON line of results."""

import json
import os
import time

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def now_s():
    """A monotonic wall clock in seconds, for elapsed times."""
    return time.perf_counter()


def rss_bytes():
    """Resident set size of this process, from /proc/self/statm."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE_SIZE


def emit(**figures):
    """Prints the results as one JSON object on one line."""
    print(json.dumps(figures), flush=True)
