#!/bin/sh
# Builds and runs the pico-sdk tests (ctest label pico-sdk), in
# build-pico-sdk/ of the source tree:
#   - pico-sdk: $PICO_SDK_PATH, else ../shared/vendor/pico-sdk-2.2.0.tar.xz
#     unpacked once into build-pico-sdk/pico-sdk; with neither, the tests are
#     skipped (and say so);
#   - the emulator's boot ROM: $CASYNCIO_RP2040_BOOTROM, else
#     ../shared/vendor/rp2040-bootrom-b1.bin;
#   - examples/pico-sdk is configured and built as a user would, for the
#     Pico (build-pico-sdk/example) and the Pico 2 (example-pico2), then
#     tests/pico-sdk (build-pico-sdk/tests).
# Later runs reuse both build directories. Without picotool: the .uf2 files
# are packed by tools/uf2.mjs (PICO_NO_PICOTOOL).
#
#   tests/pico-sdk/run.sh [ctest arguments, e.g. -R blink]
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build-pico-sdk
vendor=$root/../shared/vendor
tarball=$vendor/pico-sdk-2.2.0.tar.xz
jobs=${JOBS:-2}

if [ -n "${PICO_SDK_PATH:-}" ]; then
    sdk=$PICO_SDK_PATH
elif [ -f "$tarball" ]; then
    sdk=$build/pico-sdk
    if [ ! -f "$build/pico-sdk.unpacked" ]; then
        echo "test-pico-sdk: unpacking $tarball"
        rm -rf "$sdk"
        mkdir -p "$build"
        tar -xJf "$tarball" -C "$build"
        touch "$build/pico-sdk.unpacked"
    fi
else
    echo "skipped: no pico-sdk (set PICO_SDK_PATH)"
    exit 0
fi

rom=${CASYNCIO_RP2040_BOOTROM:-$vendor/rp2040-bootrom-b1.bin}
if [ ! -f "$rom" ]; then
    echo "skipped: no RP2040 boot ROM for the emulator (set CASYNCIO_RP2040_BOOTROM)"
    exit 0
fi

"$root/tools/install-deps.sh"

configure() { # source dir, build dir, extra arguments
    src=$1 dir=$2
    shift 2
    if [ ! -f "$dir/CMakeCache.txt" ]; then
        cmake -S "$src" -B "$dir" -DPICO_SDK_PATH="$sdk" -DPICO_NO_PICOTOOL=1 "$@"
    fi
}

configure "$root/examples/pico-sdk" "$build/example" -DCASYNCIO_PATH="$root" -DPICO_BOARD=pico
cmake --build "$build/example" -j"$jobs"
# The same example for the Pico 2 (RP2350, Cortex-M33): built, not run (no
# RP2350 emulator here); its .uf2 is checked.
configure "$root/examples/pico-sdk" "$build/example-pico2" -DCASYNCIO_PATH="$root" \
    -DPICO_BOARD=pico2 -DPICO_PLATFORM=rp2350-arm-s
cmake --build "$build/example-pico2" -j"$jobs"
configure "$root/tests/pico-sdk" "$build/tests" -DPICO_BOARD=pico -DCASYNCIO_RP2040_BOOTROM="$rom" \
    -DCASYNCIO_PICO_EXAMPLE_DIR="$build/example" -DCASYNCIO_PICO2_EXAMPLE_DIR="$build/example-pico2"
cmake --build "$build/tests" -j"$jobs"
cd "$build/tests"
ctest --output-on-failure -j"$jobs" -L pico-sdk --no-tests=error "$@"
