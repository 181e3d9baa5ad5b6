#!/bin/sh
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for
# $1 seconds (default 60). Seeds: fuzz/corpus/<target>/; the growing corpus
# stays in the build folder; findings go to fuzz/artifacts/ (non-zero exit).
#   sh fuzz/run.sh [seconds]
set -eu
secs=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${FUZZ_BUILD:-$root/build/fuzz}
mkdir -p "$out" "$root/fuzz/artifacts"
cc=${CC_FUZZ:-clang}
flags="-g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$root/include -I$root/src/port/posix"
# one poller: epoll (poll_poll.c is the -DCASYNCIO_POLLER=poll build's)
lib_src="$(ls "$root"/src/core/*.c "$root"/src/port/posix/*.c | grep -v /poll_poll.c) $root/src/arch/ucontext.c"
# ucontext switching: the assembly switch is not instrumented for ASan fibers
$cc $flags -o "$out/fuzz_http" "$root/fuzz/fuzz_http.c" "$root/examples/webserver/http.c"
$cc $flags -DCASYNCIO_FUZZ=1 -o "$out/fuzz_readline" "$root/fuzz/fuzz_readline.c" $lib_src -lpthread
for t in fuzz_http fuzz_readline; do
  mkdir -p "$out/corpus/$t"
  echo "== $t: $secs s"
  # new inputs go to the build's corpus; the committed seeds are read only
  "$out/$t" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$root/fuzz/artifacts/" \
    "$out/corpus/$t" "$root/fuzz/corpus/$t" 2>&1 | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss|==|SUMMARY)" || true
  test -z "$(ls "$root/fuzz/artifacts/" 2>/dev/null | grep "^crash-\|^leak-\|^timeout-" )" || { echo "$t: findings in fuzz/artifacts"; exit 1; }
done
