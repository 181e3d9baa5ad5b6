#!/bin/sh
# Installs what the RP2040 build and its emulator tests need, when missing:
#   - the cross compiler and C library (Debian: gcc-arm-none-eabi,
#     libnewlib-arm-none-eabi), as root, with sudo only when not root already;
#   - rp2040js, at the version pinned in tools/emu/package-lock.json (npm ci).
# Running it again does nothing once both are there.
set -eu

here=$(cd "$(dirname "$0")" && pwd)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "install-deps: need root (or sudo) to run: $*" >&2
        exit 1
    fi
}

if ! command -v arm-none-eabi-gcc >/dev/null 2>&1; then
    echo "install-deps: installing the ARM cross compiler (apt-get)"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        gcc-arm-none-eabi libnewlib-arm-none-eabi
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "install-deps: node and npm are needed for the emulator tests" >&2
    exit 1
fi

if [ ! -d "$here/emu/node_modules/rp2040js" ]; then
    echo "install-deps: installing the RP2040 emulator (npm ci in tools/emu)"
    (cd "$here/emu" && npm ci --no-audit --no-fund)
fi
