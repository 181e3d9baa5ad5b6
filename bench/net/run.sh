#!/bin/sh
# Network benchmarks, all on loopback, in one run:
#  - TCP echo, 100 connections, 64-byte messages: casyncio (examples/echo)
#    against CPython asyncio streams (peers/echo_asyncio.py);
#  - HTTP/1.1 keep-alive GET / with wrk, 100 connections: casyncio
#    (examples/webserver) against CPython asyncio (peers/http_asyncio.py) and
#    nginx on one worker, all serving the same page;
#  - the web server's requests/s with its handlers on stacks of their own
#    (--stacks own) beside its default (the shared stack);
#  - RSS per idle connection of the web server (2,000 connections), before
#    any request and between requests, handlers on the shared stack or on
#    stacks of their own (idle_rss.sh, also alone: make bench-net-idle).
# With two CPUs or more, every server runs pinned to one CPU and the load
# generator to another (taskset), so they do not take turns on the same
# core; each measurement also reports how busy each of the two CPUs was, to
# show which side is the bottleneck (see bench/net/README.md).
# Installs wrk and nginx-light from Debian when missing (needs root).
#   sh bench/net/run.sh [seconds per measurement, default 5]
# BENCH_NET_WRK_THREADS: wrk threads (default 1: one CPU for the load).
set -eu
secs=${1:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${BENCH_NET_BUILD:-$root/build/bench-net}
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  apt-get install -y -qq wrk nginx-light >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
cmake -S "$root/bench/net" -B "$out" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$out" -j2 >/dev/null
mkdir -p "$out/www" "$out/nginx"
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
wait_port() { for _ in $(seq 50); do python3 -c "import socket;socket.create_connection(('127.0.0.1',$1)).close()" 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 not up" >&2; exit 1; }
start() { "$@" >/dev/null 2>&1 & pids="$pids $!"; last=$!; }
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# Server on CPU 0, load generator on CPU 1.
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  on_srv="taskset -c 0"; on_load="taskset -c 1"; pinned=yes
else
  on_srv=""; on_load=""; pinned=no
fi
threads=${BENCH_NET_WRK_THREADS:-1}
# busy and total jiffies of one CPU
cpu_jiffies() { awk -v c="cpu$1" '$1 == c { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }
# user and system jiffies of a server: the process and its children (nginx's worker)
proc_jiffies() {
  for p in $1 $(ps -o pid= --ppid "$1" 2>/dev/null); do cat "/proc/$p/stat" 2>/dev/null; done |
    awk '{ sub(/^.*\) /, ""); u += $12; s += $13 } END { print u + 0, s + 0 }'
}
# Runs a load command against the server $1; prints its figure, % busy of
# the server's CPU and of the load generator's CPU during the run, and the
# share of the server's own CPU time spent in the kernel.
loaded() {
  srv=$1; shift
  set -- "$(cpu_jiffies 0)" "$(cpu_jiffies 1)" "$(proc_jiffies "$srv")" "$@"
  a0=$1; a1=$2; ap=$3; shift 3
  figure=$("$@")
  b0=$(cpu_jiffies 0); b1=$(cpu_jiffies 1); bp=$(proc_jiffies "$srv")
  ksh=$(echo "$ap $bp" | awk '{ u = $3 - $1; s = $4 - $2; printf "%d", (u + s) ? s * 100 / (u + s) : 0 }')
  echo "$figure $(busy "$a0" "$b0") $(busy "$a1" "$b1") $ksh"
}
busy() { echo "$1 $2" | awk '{ printf "%d", ($3 - $1) * 100 / (($4 - $2) > 0 ? ($4 - $2) : 1) }'; }
wrk_rps() { $on_load wrk -t"$threads" -c100 -d"${secs}s" "http://127.0.0.1:$1/" | awk '/Requests\/sec/ {print int($2)}'; }
echo_rps() { $on_load "$out/echo_load" "$1" 100 64 "$secs"; }

echo "== TCP echo: 100 connections, 64-byte messages, ${secs} s each"
start $on_srv "$out/echo/echo_server" 127.0.0.1 19001; wait_port 19001
set -- $(loaded $last echo_rps 19001); echo_c=$1 echo_c_cpu="$2 / $3 ($4)"; stop $last
start $on_srv python3 "$root/bench/net/peers/echo_asyncio.py" 19002; wait_port 19002
set -- $(loaded $last echo_rps 19002); echo_py=$1 echo_py_cpu="$2 / $3 ($4)"; stop $last

echo "== HTTP keep-alive GET /: wrk, 100 connections, ${secs} s each"
start $on_srv "$out/webserver/webserver" --port 19003 --max-clients 10000; ws=$last; wait_port 19003
python3 -c "import urllib.request,sys;sys.stdout.buffer.write(urllib.request.urlopen('http://127.0.0.1:19003/').read())" > "$out/www/index.html"
set -- $(loaded $last wrk_rps 19003); http_c=$1 http_c_cpu="$2 / $3 ($4)"; stop $ws
start $on_srv "$out/webserver/webserver" --port 19006 --max-clients 10000 --stacks own; wait_port 19006
set -- $(loaded $last wrk_rps 19006); http_own=$1 http_own_cpu="$2 / $3 ($4)"; stop $last
start $on_srv python3 "$root/bench/net/peers/http_asyncio.py" 19004 "$out/www/index.html"; wait_port 19004
set -- $(loaded $last wrk_rps 19004); http_py=$1 http_py_cpu="$2 / $3 ($4)"; stop $last
sed -e "s|@ROOT@|$out/www|" -e "s|@PORT@|19005|" -e "s|@DIR@|$out/nginx|" \
    "$root/bench/net/peers/nginx.conf" > "$out/nginx/nginx.conf"
start $on_srv "$NGINX" -c "$out/nginx/nginx.conf" -p "$out/nginx"; wait_port 19005
set -- $(loaded $last wrk_rps 19005); http_nginx=$1 http_nginx_cpu="$2 / $3 ($4)"; stop $last

ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
echo
echo "| workload | casyncio | CPython asyncio | nginx (1 worker) | casyncio / CPython | casyncio / nginx |"
echo "|---|---|---|---|---|---|"
echo "| TCP echo round trips/s | $echo_c | $echo_py | - | $(ratio "$echo_c" "$echo_py") × | - |"
echo "| HTTP keep-alive requests/s | $http_c | $http_py | $http_nginx | $(ratio "$http_c" "$http_py") × | $(ratio "$http_c" "$http_nginx") × |"
echo "| the same, handlers on stacks of their own (--stacks own) | $http_own | | | $(ratio "$http_own" "$http_py") × | $(ratio "$http_own" "$http_nginx") × |"
echo
sh "$root/bench/net/idle_rss.sh" "$out"
echo
echo "% busy, server CPU / load-generator CPU (% of the server process's own CPU time spent in the kernel):"
echo "| workload | casyncio | CPython asyncio | nginx (1 worker) |"
echo "|---|---|---|---|"
echo "| TCP echo | $echo_c_cpu | $echo_py_cpu | - |"
echo "| HTTP keep-alive | $http_c_cpu | $http_py_cpu | $http_nginx_cpu |"
echo "| HTTP keep-alive, --stacks own | $http_own_cpu | | |"
echo
if [ $pinned = yes ]; then
  echo "page: $(wc -c < "$out/www/index.html") bytes; servers pinned to CPU 0, load generator (wrk -t$threads, echo_load) to CPU 1 of $(nproc)"
  echo "a load-generator CPU near 100 % with the server's below it: the load generator is the bottleneck, and the server's figure is a lower bound"
else
  echo "page: $(wc -c < "$out/www/index.html") bytes; $(nproc) CPU(s) shared by load generator and server (no pinning)"
fi
