#!/bin/sh
# Network benchmarks, all on loopback, in one run:
#  - TCP echo, 100 connections, 64-byte messages: casyncio (examples/echo)
#    against CPython asyncio streams (peers/echo_asyncio.py);
#  - HTTP/1.1 keep-alive GET / with wrk, 100 connections: casyncio
#    (examples/webserver) against CPython asyncio (peers/http_asyncio.py) and
#    nginx on one worker, all serving the same page;
#  - RSS per idle connection of the web server (2,000 connections).
# Installs wrk and nginx-light from Debian when missing (needs root).
#   sh bench/net/run.sh [seconds per measurement, default 5]
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
wrk_rps() { wrk -t1 -c100 -d"${secs}s" "http://127.0.0.1:$1/" | awk '/Requests\/sec/ {print int($2)}'; }

echo "== TCP echo: 100 connections, 64-byte messages, ${secs} s each"
start "$out/echo/echo_server" 127.0.0.1 19001; wait_port 19001
echo_c=$("$out/echo_load" 19001 100 64 "$secs"); stop $last
start python3 "$root/bench/net/peers/echo_asyncio.py" 19002; wait_port 19002
echo_py=$("$out/echo_load" 19002 100 64 "$secs"); stop $last

echo "== HTTP keep-alive GET /: wrk, 100 connections, ${secs} s each"
start "$out/webserver/webserver" --port 19003 --max-clients 10000; ws=$last; wait_port 19003
python3 -c "import urllib.request,sys;sys.stdout.buffer.write(urllib.request.urlopen('http://127.0.0.1:19003/').read())" > "$out/www/index.html"
http_c=$(wrk_rps 19003)
rss=$(python3 "$root/bench/net/idle_conns.py" 19003 "$ws" 2000)
stop $ws
start python3 "$root/bench/net/peers/http_asyncio.py" 19004 "$out/www/index.html"; wait_port 19004
http_py=$(wrk_rps 19004); stop $last
sed -e "s|@ROOT@|$out/www|" -e "s|@PORT@|19005|" -e "s|@DIR@|$out/nginx|" \
    "$root/bench/net/peers/nginx.conf" > "$out/nginx/nginx.conf"
start "$NGINX" -c "$out/nginx/nginx.conf" -p "$out/nginx"; wait_port 19005
http_nginx=$(wrk_rps 19005); stop $last

ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
echo
echo "| workload | casyncio | CPython asyncio | nginx (1 worker) | casyncio / CPython | casyncio / nginx |"
echo "|---|---|---|---|---|---|"
echo "| TCP echo round trips/s | $echo_c | $echo_py | - | $(ratio "$echo_c" "$echo_py") × | - |"
echo "| HTTP keep-alive requests/s | $http_c | $http_py | $http_nginx | $(ratio "$http_c" "$http_py") × | $(ratio "$http_c" "$http_nginx") × |"
echo "| RSS per idle connection (bytes) | $rss | | | | |"
echo
echo "page: $(wc -c < "$out/www/index.html") bytes; $(nproc) CPUs shared by load generator and server"
