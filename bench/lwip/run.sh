#!/bin/sh
# HTTP keep-alive requests/s and memory per connection of the LED web server
# over the lwIP transport (two lwIP interfaces wired back to back in the
# process) beside the socket transport (the kernel's loopback), in one run:
# the same server and client code, in one process each, on one CPU. Each
# is run three times, interleaved; the table takes the best requests/s of
# each (this shared VM is noisy) and the RSS of the last run.
#   sh bench/lwip/run.sh [seconds, default 3] [clients, default 50] [idle connections, default 1000]
set -eu
secs=${1:-3}; clients=${2:-50}; idle=${3:-1000}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${BENCH_LWIP_BUILD:-$root/build/bench-lwip}
cmake -S "$root/bench/lwip" -B "$out" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$out" -j2 >/dev/null
pin=""
if command -v taskset >/dev/null; then pin="taskset -c 0"; fi
ulimit -n 65536 2>/dev/null || true
runs=""
for i in 1 2 3; do
    lwip=$($pin "$out/bench_http_lwip" "$secs" "$clients" "$idle")
    posix=$($pin "$out/bench_http_posix" "$secs" "$clients" "$idle")
    echo "$lwip"
    echo "$posix"
    runs="$runs
$lwip
$posix"
done
python3 - "$runs" <<'PY'
import json, sys
runs = [json.loads(line) for line in sys.argv[1].strip().splitlines()]
def best(transport):
    mine = [r for r in runs if r["transport"] == transport]
    last = dict(mine[-1])
    last["requests_per_s"] = max(r["requests_per_s"] for r in mine)
    return last
l, p = best("lwip"), best("posix")
print()
print("| HTTP keep-alive, %d clients, server and clients in one process | lwIP transport | socket transport | lwIP / sockets |" % l["clients"])
print("|---|---:|---:|---:|")
print("| requests/s | {:,.0f} | {:,.0f} | {:.2f} |".format(l["requests_per_s"], p["requests_per_s"], l["requests_per_s"] / p["requests_per_s"]))
print("| RSS per connection (both ends, %d idle) | {:,} B | {:,} B | {:.2f} |".format(
    l["rss_per_connection_bytes"], p["rss_per_connection_bytes"],
    l["rss_per_connection_bytes"] / max(1, p["rss_per_connection_bytes"])) % l["idle_connections"])
PY
