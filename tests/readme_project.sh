#!/bin/sh
# Makes the project a README section tells a user to make: its
# CMakeLists.txt exactly as the section's first ```cmake block shows it, a
# main.c, and casyncio in a casyncio/ folder (a link to this tree), in <dir>.
#   readme_project.sh <casyncio root> <section title> <main.c> <dir>
set -eu
root=$1 title=$2 main=$3 dir=$4
mkdir -p "$dir"
awk -v title="### $title" '$0 == title { section = 1 }
     section && /^```cmake$/ { inside = 1; next }
     inside && /^```$/ { exit }
     inside { print }' "$root/README.md" > "$dir/CMakeLists.txt.new"
if [ ! -s "$dir/CMakeLists.txt.new" ]; then
    echo "readme_project: no cmake block in README's section \"$title\"" >&2
    exit 1
fi
# Only a changed file makes CMake configure again.
if cmp -s "$dir/CMakeLists.txt.new" "$dir/CMakeLists.txt"; then
    rm "$dir/CMakeLists.txt.new"
else
    mv "$dir/CMakeLists.txt.new" "$dir/CMakeLists.txt"
fi
cmp -s "$main" "$dir/main.c" || cp "$main" "$dir/main.c"
ln -sfn "$root" "$dir/casyncio"
