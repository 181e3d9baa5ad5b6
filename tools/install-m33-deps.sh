#!/bin/sh
# Installs what the Cortex-M33 tests (make test-m33) need, when missing:
# Debian's ARM cross compiler and C library (gcc-arm-none-eabi,
# libnewlib-arm-none-eabi) and the system emulator that models the MPS2
# AN505 board (qemu-system-arm). Idempotent; as root, or with sudo.
set -eu
if command -v arm-none-eabi-gcc >/dev/null 2>&1 && command -v qemu-system-arm >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q || true
$SUDO apt-get install -y -q --no-install-recommends gcc-arm-none-eabi libnewlib-arm-none-eabi \
    qemu-system-arm
