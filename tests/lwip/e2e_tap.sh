#!/bin/sh
# The LED page in headless Chromium (tests/e2e/webserver.test.mjs), served
# over lwIP: examples/webserver behind lwip_tap.c, on a TAP device whose
# host side is 10.1.0.1/24 (lwIP is 10.1.0.2). The device, its addresses,
# the server and the browser live in a network namespace of the test's own
# (unshare --net), so no packet reaches any network outside it. Creating it
# needs root, /dev/net/tun and unshare; without them the test says so and is
# skipped.
#   sh tests/lwip/e2e_tap.sh [build dir with CASYNCIO_LWIP, default build-lwip]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-lwip}
dev=casyncio-e2e
if [ "${CASYNCIO_E2E_NETNS:-}" != 1 ]; then
    if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ] || ! command -v unshare >/dev/null 2>&1 ||
        ! command -v ip >/dev/null 2>&1; then
        echo "skipped: serving over a TAP device needs root, /dev/net/tun, unshare and ip"
        exit 0
    fi
    # what needs the registries or the build tree, before leaving the host's network
    sh "$root/tests/e2e/install.sh"
    cmake --build "$build" -j"${JOBS:-2}" --target webserver_lwip_tap
    exec unshare --net env CASYNCIO_E2E_NETNS=1 sh "$0" "$build"
fi
ip link set lo up
if ! ip tuntap add dev "$dev" mode tap 2>/dev/null; then
    echo "skipped: cannot create the TAP device $dev"
    exit 0
fi
ip addr add 10.1.0.1/24 dev "$dev"
ip link set "$dev" up
WEBSERVER_BIN="$build/examples/webserver/webserver_lwip_tap" WEBSERVER_TAP="$dev" \
WEBSERVER_HOST=10.1.0.2 E2E_OUT="$build/e2e" node --test "$root/tests/e2e/webserver.test.mjs"
