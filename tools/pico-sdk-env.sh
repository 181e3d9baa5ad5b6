# Sourced by the pico-sdk test and benchmark scripts: finds pico-sdk and the
# RP2040 boot ROM the emulator needs, or says why it skips and exits 0.
#   $PICO_SDK_PATH, else ../shared/vendor/pico-sdk-2.2.0.tar.xz unpacked
#   once into build-pico-sdk/pico-sdk;
#   $CASYNCIO_RP2040_BOOTROM, else ../shared/vendor/rp2040-bootrom-b1.bin.
# Sets: root, build (build-pico-sdk), sdk, rom, jobs; defines
# pico_configure <source dir> <build dir> [cmake arguments] (once per dir).
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
        echo "pico-sdk: unpacking $tarball"
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

# A build directory made with another pico-sdk is made again.
pico_configure() {
    src=$1 dir=$2
    shift 2
    if [ -f "$dir/CMakeCache.txt" ] &&
        ! grep -qx "PICO_SDK_PATH:PATH=$(realpath "$sdk")" "$dir/CMakeCache.txt"; then
        rm -rf "$dir"
    fi
    if [ ! -f "$dir/CMakeCache.txt" ]; then
        cmake -S "$src" -B "$dir" -DPICO_SDK_PATH="$sdk" -DPICO_NO_PICOTOOL=1 "$@"
    fi
}
