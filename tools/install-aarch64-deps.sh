#!/bin/sh
# Installs what the aarch64 test run needs, when it is missing: Debian's
# cross compiler and qemu-user. Idempotent; run as root or with sudo.
set -eu
if command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 && command -v qemu-aarch64 >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q || true
$SUDO apt-get install -y -q gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
