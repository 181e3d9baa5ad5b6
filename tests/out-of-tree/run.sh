#!/bin/sh
# Builds tests/out-of-tree the way a user's own project is built: copied to
# a directory outside casyncio's tree, taking casyncio in with
# add_subdirectory; then runs the program and checks its line.
#
#   run.sh firmware   for the Pico, run in the emulator (tools/emu/run.mjs)
#   run.sh sanitize   for the host with -DCASYNCIO_SANITIZE=ON
set -eu
mode=${1:?usage: run.sh firmware|sanitize}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/casyncio-user-project.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/app"
cp "$here/CMakeLists.txt" "$here/main.c" "$work/app/"

case $mode in
firmware)
    cmake -S "$work/app" -B "$work/build" -DCASYNCIO_DIR="$src" -DCASYNCIO_PORT=rp2040 \
        -DCMAKE_TOOLCHAIN_FILE="$src/cmake/arm-none-eabi.cmake" -DCMAKE_BUILD_TYPE=MinSizeRel
    cmake --build "$work/build" -j2
    test -f "$work/build/blinky.uf2"
    node "$src/tools/emu/run.mjs" "$work/build/blinky.uf2" --seconds 5 >"$work/out"
    ;;
sanitize)
    cmake -S "$work/app" -B "$work/build" -DCASYNCIO_DIR="$src" -DCASYNCIO_SANITIZE=ON \
        -DCMAKE_BUILD_TYPE=Debug
    cmake --build "$work/build" -j2
    # the program itself must be instrumented, not only the library
    nm "$work/build/CMakeFiles/blinky.dir/main.c.o" | grep -q __asan_
    "$work/build/blinky" >"$work/out"
    ;;
*)
    echo "usage: run.sh firmware|sanitize" >&2
    exit 2
    ;;
esac
cat "$work/out"
grep -Eq '^(uart )?out-of-tree: blinked 4 times$' "$work/out" # run.mjs prefixes UART lines
