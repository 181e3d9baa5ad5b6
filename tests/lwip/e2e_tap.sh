#!/bin/sh
# The LED page in headless Chromium (tests/e2e/webserver.test.mjs), served
# over lwIP: examples/webserver behind lwip_tap.c, on a TAP device whose
# host side is 10.1.0.1/24 (lwIP is 10.1.0.2). Creating the device needs
# root and /dev/net/tun; without them the test says so and is skipped.
#   sh tests/lwip/e2e_tap.sh [build dir with CASYNCIO_LWIP, default build-lwip]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-lwip}
dev=casyncio-e2e
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
    echo "skipped: serving over a TAP device needs root and /dev/net/tun"
    exit 0
fi
if ! ip tuntap add dev "$dev" mode tap 2>/dev/null; then
    echo "skipped: cannot create the TAP device $dev"
    exit 0
fi
trap 'ip link del "$dev" 2>/dev/null || true' EXIT INT TERM
ip addr add 10.1.0.1/24 dev "$dev"
ip link set "$dev" up
sh "$root/tests/e2e/install.sh"
cmake --build "$build" -j"${JOBS:-2}" --target webserver_lwip_tap
WEBSERVER_BIN="$build/examples/webserver/webserver_lwip_tap" WEBSERVER_TAP="$dev" \
WEBSERVER_HOST=10.1.0.2 E2E_OUT="$build/e2e" node --test "$root/tests/e2e/webserver.test.mjs"
