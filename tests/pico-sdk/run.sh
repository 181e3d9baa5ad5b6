#!/bin/sh
# Builds and runs the pico-sdk tests (ctest label pico-sdk), in
# build-pico-sdk/ of the source tree:
#   - pico-sdk and the emulator's boot ROM as tools/pico-sdk-env.sh finds
#     them ($PICO_SDK_PATH, else ../shared/vendor); with neither, the tests
#     are skipped (and say so);
#   - examples/pico-sdk is configured and built as a user would, for the
#     Pico (build-pico-sdk/example) and the Pico 2 (example-pico2); so is
#     the project of README's pico-sdk section (readme-app); then
#     tests/pico-sdk (build-pico-sdk/tests).
# Later runs reuse both build directories. Without picotool: the .uf2 files
# are packed by tools/uf2.mjs (PICO_NO_PICOTOOL).
#
#   tests/pico-sdk/run.sh [ctest arguments, e.g. -R blink]
set -eu

. "$(dirname "$0")/../../tools/pico-sdk-env.sh"

pico_configure "$root/examples/pico-sdk" "$build/example" -DCASYNCIO_PATH="$root" -DPICO_BOARD=pico
cmake --build "$build/example" -j"$jobs"
# The same example for the Pico 2 (RP2350, Cortex-M33): built, not run (no
# RP2350 emulator here); its .uf2 is checked.
pico_configure "$root/examples/pico-sdk" "$build/example-pico2" -DCASYNCIO_PATH="$root" \
    -DPICO_BOARD=pico2 -DPICO_PLATFORM=rp2350-arm-s
cmake --build "$build/example-pico2" -j"$jobs"
# The README's project, as a user copies it (its CMakeLists.txt from README.md).
"$root/tests/readme_project.sh" "$root" "Your own program on the Pico (pico-sdk)" \
    "$root/examples/pico-sdk/main.c" "$build/readme-app"
pico_configure "$build/readme-app" "$build/readme-app/build" -DPICO_BOARD=pico
cmake --build "$build/readme-app/build" -j"$jobs"
pico_configure "$root/tests/pico-sdk" "$build/tests" -DPICO_BOARD=pico -DCASYNCIO_RP2040_BOOTROM="$rom" \
    -DCASYNCIO_PICO_EXAMPLE_DIR="$build/example" -DCASYNCIO_PICO2_EXAMPLE_DIR="$build/example-pico2" \
    -DCASYNCIO_PICO_README_APP="$build/readme-app/build/my_app.uf2"
cmake --build "$build/tests" -j"$jobs"
# The drivers' firmware for the Pico 2 (RP2350): built and checked, not run.
pico_configure "$root/tests/pico-sdk" "$build/tests-pico2" -DPICO_BOARD=pico2 -DPICO_PLATFORM=rp2350-arm-s \
    -DCASYNCIO_RP2040_BOOTROM="$rom"
cmake --build "$build/tests-pico2" -j"$jobs"
(cd "$build/tests-pico2" && ctest --output-on-failure -j"$jobs" -L pico-sdk --no-tests=ignore "$@")
cd "$build/tests"
ctest --output-on-failure -j"$jobs" -L pico-sdk --no-tests=error "$@"
