#!/bin/sh
# Runs one Cortex-M33 firmware (.elf) in qemu-system-arm's mps2-an505 and
# judges it: the exit status it ends with (semihosting) and lines its UART
# output must contain.
#
#   run.sh <qemu-system-arm> <firmware.elf> <status> [text that must appear]...
#
# Time in the emulator: -icount makes the emulated clock advance by 2^3 ns
# per instruction (a 125 MHz CPU) and, with sleep=off, jump to the next timer
# while the CPU waits in WFI; so sleeps take simulated time, not the host's,
# and a busy host does not change what the firmware measures. The host-side
# timeout bounds a firmware that never ends; -no-reboot ends one that resets.
# Prints the firmware's output, then "PASS <name>" or the failures.
set -u
qemu=$1 elf=$2 want_status=$3
shift 3
name=$(basename "$elf" .elf)
out=$(timeout 60 "$qemu" -M mps2-an505 -display none -serial stdio -monitor none -no-reboot \
    -semihosting-config enable=on,target=native -icount shift=3,align=off,sleep=off \
    -kernel "$elf" </dev/null 2>&1)
status=$?
printf '%s\n' "$out" | tr -d '\r'
failed=0
if [ "$status" -eq 124 ]; then
    echo "FAIL $name: still running after 60 s (host time)"
    failed=1
elif [ "$status" -ne "$want_status" ]; then
    echo "FAIL $name: exit status $status, want $want_status"
    failed=1
fi
for text in "$@"; do
    if ! printf '%s\n' "$out" | tr -d '\r' | grep -qF -- "$text"; then
        echo "FAIL $name: the output lacks \"$text\""
        failed=1
    fi
done
[ "$failed" -eq 0 ] && echo "PASS $name"
exit "$failed"
