#!/bin/sh
# tools/flash.sh against pretend boot loader drives: an RP2040 image goes to
# RPI-RP2, an RP2350 image to RP2350, and with no drive the other ways are
# printed and the exit status is 1.
#   flash_test.sh <rp2040.uf2> <rp2350.uf2>
set -u
here=$(cd "$(dirname "$0")" && pwd)
flash=$here/../../tools/flash.sh
rp2040=$1 rp2350=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
expect() { # <what> <command...>: the command must succeed
    what=$1
    shift
    if ! "$@"; then
        echo "FAIL: $what"
        fail=1
    fi
}

mkdir -p "$tmp/media/RPI-RP2" "$tmp/media/RP2350"
touch "$tmp/media/RPI-RP2/INFO_UF2.TXT" "$tmp/media/RP2350/INFO_UF2.TXT"
expect "RP2040 image: flash.sh failed" env CASYNCIO_FLASH_MOUNTS="$tmp/media" "$flash" "$rp2040"
expect "RP2040 image not on RPI-RP2" cmp -s "$rp2040" "$tmp/media/RPI-RP2/$(basename "$rp2040")"
expect "RP2040 image copied to RP2350" test ! -e "$tmp/media/RP2350/$(basename "$rp2040")"
rm "$tmp/media/RPI-RP2/$(basename "$rp2040")"
expect "RP2350 image: flash.sh failed" env CASYNCIO_FLASH_MOUNTS="$tmp/media" "$flash" "$rp2350"
expect "RP2350 image not on RP2350" cmp -s "$rp2350" "$tmp/media/RP2350/$(basename "$rp2350")"
expect "RP2350 image copied to RPI-RP2" test ! -e "$tmp/media/RPI-RP2/$(basename "$rp2350")"

out=$(CASYNCIO_FLASH_MOUNTS="$tmp/none" "$flash" "$rp2040")
expect "no drive: exit status $?, want 1" test $? -eq 1
expect "no drive: no picotool command" sh -c 'echo "$1" | grep -qF "picotool load -x $2"' - "$out" "$rp2040"
expect "no drive: no openocd command" sh -c 'echo "$1" | grep -qF "target/rp2040.cfg"' - "$out"
[ $fail -eq 0 ] && echo PASS
exit $fail
