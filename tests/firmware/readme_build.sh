#!/bin/sh
# Builds the project of README's "Your own program on the Pico (bare
# metal)" section as a user would (casyncio added with add_subdirectory from
# the project's own CMakeLists.txt, taken from the README), with the blink
# example as its main.c, in <dir>; check.mjs then runs its .uf2.
#   readme_build.sh <casyncio root> <dir>
set -eu
root=$1 dir=$2
"$root/tests/readme_project.sh" "$root" "Your own program on the Pico (bare metal)" \
    "$root/examples/blink/main.c" "$dir"
if [ ! -f "$dir/build/CMakeCache.txt" ]; then
    cmake -S "$dir" -B "$dir/build" -DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
fi
cmake --build "$dir/build" -j2
