#!/bin/sh
# make bench-pico-sdk: builds the bare-metal benchmark (build-rp2040, as
# make bench-rp2040 does) and bench/pico-sdk (build-pico-sdk/bench), the
# three blinks of bench/pico-sdk again for the Pico 2 (RP2350, Arm;
# build-pico-sdk/bench-pico2: sizes only, no RP2350 emulator here), then
# prints bench.mjs's tables.
set -eu
. "$(dirname "$0")/../../tools/pico-sdk-env.sh"

cmake -S "$root" -B "$root/build-rp2040" -DCASYNCIO_PORT=rp2040 -DCASYNCIO_BUILD_BENCH=ON \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi.cmake" -DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
cmake --build "$root/build-rp2040" -j"$jobs" --target bench_rp2040 blink
pico_configure "$root/bench/pico-sdk" "$build/bench" -DPICO_BOARD=pico
cmake --build "$build/bench" -j"$jobs"
pico_configure "$root/bench/pico-sdk" "$build/bench-pico2" -DPICO_BOARD=pico2 -DPICO_PLATFORM=rp2350-arm-s
cmake --build "$build/bench-pico2" -j"$jobs" --target blink_casyncio blink_sleep_ms blink_async_context
node "$root/bench/pico-sdk/bench.mjs" "$root/build-rp2040" "$build/bench" "$rom" "$build/bench-pico2"
