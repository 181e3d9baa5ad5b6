#!/bin/sh
# Makes the project README's "Your own program on the Pico (pico-sdk)" tells
# a user to make: its CMakeLists.txt exactly as the README shows it, the
# example's main.c, and casyncio in a casyncio/ folder (a link to this
# tree), in <dir>.
#   readme_project.sh <casyncio root> <dir>
set -eu
root=$1 dir=$2
mkdir -p "$dir"
awk '/^### Your own program on the Pico \(pico-sdk\)/ { section = 1 }
     section && /^```cmake$/ { inside = 1; next }
     inside && /^```$/ { exit }
     inside { print }' "$root/README.md" > "$dir/CMakeLists.txt.new"
if [ ! -s "$dir/CMakeLists.txt.new" ]; then
    echo "readme_project: no cmake block in README's pico-sdk section" >&2
    exit 1
fi
# Only a changed file makes CMake configure again.
if cmp -s "$dir/CMakeLists.txt.new" "$dir/CMakeLists.txt"; then
    rm "$dir/CMakeLists.txt.new"
else
    mv "$dir/CMakeLists.txt.new" "$dir/CMakeLists.txt"
fi
cmp -s "$root/examples/pico-sdk/main.c" "$dir/main.c" || cp "$root/examples/pico-sdk/main.c" "$dir/main.c"
ln -sfn "$root" "$dir/casyncio"
