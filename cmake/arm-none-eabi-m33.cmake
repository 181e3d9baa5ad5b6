# Cross toolchain for a Cortex-M33 (ARMv8-M Mainline: the RP2350's Arm cores,
# the MPS2 AN505 under qemu), with Debian's gcc-arm-none-eabi and
# libnewlib-arm-none-eabi:
#   cmake -DCASYNCIO_PORT=mps2-an505 -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi-m33.cmake -S . -B build-m33
# CASYNCIO_FLOAT_ABI picks the floating-point ABI: hard (default: the FPU,
# arguments in FPU registers), softfp (the FPU, arguments in core
# registers: pico-sdk's choice for the RP2350) or soft (no FPU code at all).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR cortex-m33)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "objcopy for the target")

set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(CASYNCIO_FLOAT_ABI hard CACHE STRING "Cortex-M33 floating-point ABI: hard, softfp or soft")
set_property(CACHE CASYNCIO_FLOAT_ABI PROPERTY STRINGS hard softfp soft)
if(NOT CASYNCIO_FLOAT_ABI MATCHES "^(hard|softfp|soft)$")
  message(FATAL_ERROR "CASYNCIO_FLOAT_ABI must be hard, softfp or soft")
endif()
set(casyncio_cpu_flags "-mcpu=cortex-m33 -mthumb -mfloat-abi=${CASYNCIO_FLOAT_ABI}")
set(CMAKE_C_FLAGS_INIT "${casyncio_cpu_flags} -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${casyncio_cpu_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${casyncio_cpu_flags}")
set(CMAKE_C_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "C flags for Release builds")
set(CMAKE_C_FLAGS_RELWITHDEBINFO "-O2 -g -DNDEBUG" CACHE STRING "C flags for RelWithDebInfo builds")
set(CMAKE_C_FLAGS_MINSIZEREL "-Os -DNDEBUG" CACHE STRING "C flags for MinSizeRel builds")
set(CMAKE_C_FLAGS_DEBUG "-Og -g" CACHE STRING "C flags for Debug builds")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
