# Cross toolchain for the Raspberry Pi Pico (RP2040, Cortex-M0+), using
# Debian's gcc-arm-none-eabi and libnewlib-arm-none-eabi:
#   cmake -DCASYNCIO_PORT=rp2040 -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake -S . -B build-rp2040
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR cortex-m0plus)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "objcopy for the target")

# There is no OS to link a test program against: compiler checks build a
# static library instead of an executable.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(casyncio_cpu_flags "-mcpu=cortex-m0plus -mthumb")
# Every function and object in its own section, so --gc-sections drops what
# the firmware does not use.
set(CMAKE_C_FLAGS_INIT "${casyncio_cpu_flags} -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${casyncio_cpu_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${casyncio_cpu_flags}")
# Flash is small and XIP cache misses cost more than instructions: optimise
# for size in every build type but Debug. Cache entries, not the *_INIT
# variables: CMake appends its own -O2 / -O3 to those after this file.
set(CMAKE_C_FLAGS_RELEASE "-Os -DNDEBUG" CACHE STRING "C flags for Release builds")
set(CMAKE_C_FLAGS_RELWITHDEBINFO "-Os -g -DNDEBUG" CACHE STRING
    "C flags for RelWithDebInfo builds")
set(CMAKE_C_FLAGS_MINSIZEREL "-Os -DNDEBUG" CACHE STRING "C flags for MinSizeRel builds")
set(CMAKE_C_FLAGS_DEBUG "-Og -g" CACHE STRING "C flags for Debug builds")
# Link-time optimisation in every build type but Debug: the firmware is one
# program, and seeing it whole lets the compiler inline across files and
# drop what no path reaches.
set(CMAKE_INTERPROCEDURAL_OPTIMIZATION_RELEASE ON)
set(CMAKE_INTERPROCEDURAL_OPTIMIZATION_RELWITHDEBINFO ON)
set(CMAKE_INTERPROCEDURAL_OPTIMIZATION_MINSIZEREL ON)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
