#!/bin/sh
# Flashes a .uf2 onto a Raspberry Pi Pico held in BOOTSEL mode: copies it to
# the boot loader's USB drive (RPI-RP2 for an RP2040, RP2350 for a Pico 2,
# chosen by the file's UF2 family ID), and the board reboots into it. With
# no such drive mounted it prints the other ways (picotool, a debug probe
# with openocd) and exits 1.
#
#   tools/flash.sh <firmware.uf2>
# CASYNCIO_FLASH_MOUNTS: the folders to look for the drive in (default: the
# usual mount points of Linux desktops and macOS).
set -eu

uf2=${1:-}
if [ -z "$uf2" ] || [ ! -f "$uf2" ]; then
    echo "usage: tools/flash.sh <firmware.uf2> (no such file: '$uf2')" >&2
    exit 2
fi

# The family ID: the 32-bit little-endian word at offset 28 of each block.
family=$(od -An -tx4 -j28 -N4 "$uf2" | tr -d ' ')
case $family in
    e48bff56) drive=RPI-RP2 chip=rp2040 ;;
    e48bff59 | e48bff5a | e48bff5b) drive=RP2350 chip=rp2350 ;;
    *) echo "flash: $uf2 has UF2 family 0x$family, neither RP2040 nor RP2350" >&2; exit 2 ;;
esac

user=${USER:-$(id -un 2>/dev/null || echo root)}
mounts=${CASYNCIO_FLASH_MOUNTS:-"/media/$user /run/media/$user /media /mnt /Volumes"}
for dir in $mounts; do
    if [ -f "$dir/$drive/INFO_UF2.TXT" ]; then
        cp "$uf2" "$dir/$drive/"
        sync
        echo "flash: copied $uf2 to $dir/$drive; the board reboots into it"
        exit 0
    fi
done

elf=${uf2%.uf2}.elf
cat <<EOT
flash: no $drive drive is mounted (looked in: $mounts).
  Hold BOOTSEL while plugging the board in, then run this again; or
  with picotool (board in BOOTSEL mode):   picotool load -x $uf2
  with a debug probe on the SWD pins:       openocd -f interface/cmsis-dap.cfg -f target/$chip.cfg \\
      -c "adapter speed 5000" -c "program $elf verify reset exit"
EOT
exit 1
