#!/bin/sh
# RSS per idle connection of the LED web server (examples/webserver), 2,000
# connections, with its connection handlers on the shared stack (its
# default) and on stacks of their own (--stacks own): idle before any
# request, and idle between requests (after one GET / each). Every figure
# comes from a fresh server process, so that no stack or record kept from
# earlier connections hides the cost.
#   sh bench/net/idle_rss.sh [build dir]     (make bench-net-idle)
# Prints one markdown table; bench/net/run.sh includes it.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-${BENCH_NET_BUILD:-$root/build/bench-net}}
n=2000
[ -f "$out/CMakeCache.txt" ] || cmake -S "$root/bench/net" -B "$out" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$out" -j2 --target webserver >/dev/null
ulimit -n 65536 2>/dev/null || true
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then on_srv="taskset -c 0"; else on_srv=""; fi
port=19010
# bytes of RSS per idle connection: $1 shared|own, $2 "" or request
per_conn() {
  port=$((port + 1))
  $on_srv "$out/webserver/webserver" --port $port --max-clients 10000 --idle-timeout-ms 60000 \
    --stacks "$1" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 50); do
    python3 -c "import socket;socket.create_connection(('127.0.0.1',$port)).close()" 2>/dev/null && break
    sleep 0.1
  done
  python3 "$root/bench/net/idle_conns.py" $port $pid $n $2
  kill $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
}
shared=$(per_conn shared ""); shared_req=$(per_conn shared request)
own=$(per_conn own ""); own_req=$(per_conn own request)
echo "| RSS per idle connection, web server, $n connections (bytes) | handlers on the shared stack | on stacks of their own | own / shared |"
echo "|---|---|---|---|"
echo "| idle before any request | $shared | $own | $(python3 -c "print(f'{$own/$shared:.1f}')") × |"
echo "| idle after one request | $shared_req | $own_req | $(python3 -c "print(f'{$own_req/$shared_req:.1f}')") × |"
