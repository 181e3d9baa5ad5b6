#!/usr/bin/env python3
"""Runs every benchmark for casyncio and for its CPython asyncio peer, side by
side, and prints one table: the best of N runs for each side and the ratio.

    python3 bench/run.py --bin-dir build-bench/bench [--runs 3] [--only yield,lock]
"""

import argparse
import json
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# name, workload, [(result key, what, unit, better, target)]; target is a
# minimum ratio ("x"), or a maximum ("max") or minimum ("min") casyncio
# figure in the row's unit.
BENCHMARKS = [
    ("yield", "1,000 tasks × 1,000 yields",
     [("ns_per_switch", "time per switch", "ns", "lower", ("x", 100))]),
    ("spawn", "100,000 tasks: batches of 1,000; all at once (cold)",
     [("tasks_per_s", "tasks created+awaited", "/s", "higher", ("x", 50)),
      ("cold_tasks_per_s", "cold, private stacks", "/s", "higher", None),
      ("shared_cold_tasks_per_s", "cold, shared stack", "/s", "higher", ("min", 1_000_000))]),
    ("timers", "100,000 sleeps of 0-1000 ms",
     [("total_s", "total time", "s", "lower", None),
      ("worst_late_us", "worst lateness", "ms", "lower", ("max", 10.0)),
      ("worst_late_timed_us", "worst lateness, sleeps >= 1 ms", "ms", "lower", ("max", 10.0)),
      ("start_pass_us", "first pass (starts all)", "ms", "lower", None),
      ("worst_late_after_start_us", "worst lateness after it", "ms", "lower", None)]),
    ("wake", "sleeps of 1 us-1 s, virtual time",
     [("wake_ns_10k", "wake-up, 10,000 asleep", "ns", "lower", None),
      ("wake_ns_100k", "wake-up, 100,000 asleep", "ns", "lower", None),
      ("wake_ns_1m", "wake-up, 1,000,000 asleep", "ns", "lower", None),
      ("wake_growth_1m_100k", "1,000,000 vs 100,000", "×", "lower", ("max", 1.5))]),
    ("memory", "10,000 / 100,000 sleeping tasks",
     [("bytes_per_task", "RSS per task, 10k", "B", "lower", None),
      ("bytes_per_task_100k", "RSS per task, 100k", "B", "lower", None),
      ("shared_bytes_per_task", "shared stack, 10k", "B", "lower", ("max", 512)),
      ("shared_bytes_per_task_100k", "shared stack, 100k", "B", "lower", ("max", 512))]),
    ("event", "2 tasks, 100,000 round trips",
     [("ns_per_round_trip", "event ping-pong", "ns", "lower", ("x", 50))]),
    ("lock", "100 tasks × 1,000 rounds",
     [("ns_per_handoff", "lock hand-off", "ns", "lower", ("x", 50))]),
    ("queue", "1 producer, 1 consumer, 64 slots, 500,000 items",
     [("items_per_s", "queue throughput", "/s", "higher", ("x", 50))]),
]


def run_one(argv, timeout):
    """Runs one benchmark process; returns (figures, error)."""
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        return None, "not built"
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout} s"
    lines = p.stdout.strip().splitlines()
    if p.returncode != 0 or not lines:
        err = (p.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"exit {p.returncode}: {err}"
    return json.loads(lines[-1]), None


def best(runs, key, better):
    values = [r[key] for r in runs]
    return min(values) if better == "lower" else max(values)


def fmt(value, unit):
    if value is None:
        return "-"
    if unit == "ns":
        return f"{value:,.1f} ns"
    if unit == "/s":
        return f"{value:,.0f} /s"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value / 1000:,.3f} ms"
    if unit == "×":
        return f"{value:.2f}×"
    return f"{value:,.0f} B"


def ratio(cas, cpy, better):
    """How many times better casyncio is: > 1 is faster, less late, smaller."""
    if cas is None or cpy is None:
        return None
    num, den = (cpy, cas) if better == "lower" else (cas, cpy)
    return num / den if den > 0 else float("inf")


def verdict(target, cas, r, unit):
    if target is None or cas is None:
        return ""
    kind, bound = target
    if kind == "x":
        return f"≥ {bound}×: " + ("met" if r >= bound else "MISSED")
    shown = cas / 1000 if unit == "ms" else cas
    if kind == "min":
        return f"≥ {bound:,} {unit}: " + ("met" if shown >= bound else "MISSED")
    return f"≤ {bound} {unit}: " + ("met" if shown <= bound else "MISSED")


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.split(":")[0].strip() in ("model name", "Model"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, Linux {platform.release()} {platform.machine()}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin-dir", default=os.path.join(HERE, "..", "build-bench", "bench"),
                    help="where the bench_* executables are")
    ap.add_argument("--runs", type=int, default=3, help="runs per side; the best is shown")
    ap.add_argument("--only", default="", help="comma-separated benchmark names")
    ap.add_argument("--timeout", type=int, default=300, help="seconds allowed per process")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    unknown = only - {b[0] for b in BENCHMARKS}
    if unknown:
        ap.error("unknown benchmark(s): " + ", ".join(sorted(unknown)))

    rows, compiler, failed = [], None, False
    for name, workload, metrics in BENCHMARKS:
        if only and name not in only:
            continue
        sides = {"casyncio": ([os.path.join(args.bin_dir, "bench_" + name)], [], []),
                 "CPython": ([sys.executable, os.path.join(HERE, "peers", f"bench_{name}.py")], [], [])}
        for i in range(args.runs):  # alternate the sides, so drift hits both alike
            for side, (argv, runs, errors) in sides.items():
                if errors:
                    continue
                print(f"  {name}: {side} run {i + 1}/{args.runs}", file=sys.stderr, flush=True)
                figures, err = run_one(argv, args.timeout)
                if figures is None:
                    errors.append(err)
                    continue
                runs.append(figures)
                if "compiler" in figures:
                    compiler = (figures["compiler"], figures.get("cflags"), figures.get("switch"))
        for side, (_, runs, errors) in sides.items():
            if errors:
                failed = True
                print(f"{name}: {side} failed: {errors[0]}", file=sys.stderr)
        cas_runs, cpy_runs = sides["casyncio"][1], sides["CPython"][1]
        if any(r.get("early_wakes", 0) for r in cas_runs):
            failed = True
            print(f"{name}: casyncio woke a sleeper before its deadline", file=sys.stderr)
        for key, what, unit, better, target in metrics:
            cas = best(cas_runs, key, better) if cas_runs and not sides["casyncio"][2] else None
            cpy = best(cpy_runs, key, better) if cpy_runs and not sides["CPython"][2] else None
            r = ratio(cas, cpy, better) if unit != "×" else None  # a growth, not a cost
            rows.append((name, workload, what, fmt(cas, unit), fmt(cpy, unit),
                         "-" if r is None else f"{r:,.1f}× CPython", verdict(target, cas, r, unit)))
            name = workload = ""

    print()
    print(f"machine:   {machine()}")
    if compiler:
        print(f"compiler:  {compiler[0]}, flags: {compiler[1] or '(none)'}")
        print(f"switch:    {compiler[2]}")
    else:
        print("compiler:  unknown (no casyncio benchmark ran)")
    print(f"peer:      CPython {platform.python_version()} asyncio (default event loop)")
    print(f"figures:   best of {args.runs} runs for each side, each figure taken independently")
    print()
    head = ("bench", "workload", "measure", "casyncio", "CPython", "casyncio is", "target")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    for row in [head, tuple("-" * w for w in widths)] + rows:
        cells = [str(c).ljust(w) if i < 3 or i == 6 else str(c).rjust(w)
                 for i, (c, w) in enumerate(zip(row, widths))]
        print("  ".join(cells).rstrip())
    print()
    print("casyncio is N× CPython: N > 1 means casyncio is better (faster, less late, smaller).")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
