#!/bin/sh
# Builds the LED web server for the Pico W and, in the same tree, pico-sdk's
# lwIP httpd, and prints their flash and static RAM (bench/lwip/pico_w).
# pico-sdk: $PICO_SDK_PATH, else the one tests/pico-sdk/run.sh unpacked
# (build-pico-sdk/pico-sdk), else ../shared/vendor's archive unpacked there.
#   sh bench/lwip/pico_w_size.sh
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/build-pico-w-size
sdk=${PICO_SDK_PATH:-$root/build-pico-sdk/pico-sdk}
if [ ! -f "$sdk/pico_sdk_init.cmake" ]; then
    tarball=$root/../shared/vendor/pico-sdk-2.2.0.tar.xz
    [ -f "$tarball" ] || { echo "skipped: no pico-sdk (set PICO_SDK_PATH)"; exit 0; }
    mkdir -p "$root/build-pico-sdk"
    tar -xJf "$tarball" -C "$root/build-pico-sdk"
    touch "$root/build-pico-sdk/pico-sdk.unpacked"
fi
"$root/tools/install-deps.sh" >/dev/null
[ -f "$out/CMakeCache.txt" ] || cmake -S "$root/bench/lwip/pico_w" -B "$out" \
    -DPICO_SDK_PATH="$sdk" -DPICO_NO_PICOTOOL=1 >/dev/null 2>&1
cmake --build "$out" -j"${JOBS:-2}" >/dev/null
echo "| Pico W, pico-sdk 2.2.0, same tree and lwipopts.h | flash (text + rodata + data) | of which CYW43 firmware | static RAM (data + bss) |"
echo "|---|---:|---:|---:|"
for t in webserver_pico_w httpd_pico_w; do
    arm-none-eabi-size -A "$out/$t.elf" | awk -v t="$t" '
        $1 == ".boot2" || $1 == ".text" || $1 == ".rodata" || $1 == ".binary_info" { flash += $2 }
        $1 == ".data" { flash += $2; ram += $2 }
        $1 == ".bss" || $1 == ".uninitialized_data" || $1 == ".ram_vector_table" { ram += $2 }
        END { printf "%s %d %d\n", t, flash, ram }'
done | while read -r t flash ram; do
    fw=0
    for size in $(arm-none-eabi-nm -S "$out/$t.elf" | awk '/w43439A0_7_95_49_00_combined|wifi_nvram_4343/ { print $2 }'); do
        fw=$((fw + 0x$size))
    done
    echo "| $t | $flash B | $fw B | $ram B |"
done
