# The MPS2 AN505 port (Cortex-M33, ARMv8-M Mainline) for qemu-system-arm's
# machine mps2-an505: included by the top-level CMakeLists.txt when
# CASYNCIO_PORT=mps2-an505, with cmake/arm-none-eabi-m33.cmake as the
# toolchain. It exists to execute the core and src/arch/armv8m.S on the
# RP2350's CPU core where no RP2350 emulator is at hand: the firmware tests
# in tests/m33 run under qemu (make test-m33).
#
# Adds the port to the `casyncio` library, gives everything that links it the
# firmware link options, and defines casyncio_add_firmware(target), which
# names the executable <target>.elf (what qemu's -kernel loads).

set(casyncio_an505_dir ${CMAKE_CURRENT_LIST_DIR})

# The bare-metal Cortex-M code it shares with the rp2040 port (stacks,
# critical sections, start-up, fatal reports, newlib's console system calls)
# is src/port/cortex-m's; this folder has the AN505's own: vector table and
# reset, clock and alarm (CMSDK timers), UART console, memory map, heap.
target_sources(casyncio PRIVATE
  ${PROJECT_SOURCE_DIR}/src/arch/armv8m.S
  ${casyncio_an505_dir}/port_console.c
  ${casyncio_an505_dir}/port_time.c
  ${casyncio_an505_dir}/startup.c
  ${casyncio_an505_dir}/syscalls.c
  ${casyncio_an505_dir}/uart.c)
target_include_directories(casyncio PUBLIC ${casyncio_an505_dir})
include(${PROJECT_SOURCE_DIR}/src/port/cortex-m/cortex-m.cmake)

# newlib (the full one: its printf has the %lld the host tests print with;
# size does not matter here), its malloc and string functions, over the
# system calls of ../cortex-m/newlib_syscalls.c and syscalls.c. -u pulls the
# vector table and the system calls out of the archive (nothing else refers
# to the table; newlib, searched after the library, is what calls the
# system calls; cortex-m.cmake adds -u _exit).
target_link_options(casyncio INTERFACE
  -T${casyncio_an505_dir}/an505.ld
  -nostartfiles
  -Wl,--gc-sections
  -Wl,-u,casyncio_vectors
  -Wl,-u,_sbrk)
set_property(TARGET casyncio APPEND PROPERTY INTERFACE_LINK_DEPENDS ${casyncio_an505_dir}/an505.ld)

function(casyncio_add_firmware target)
  set_target_properties(${target} PROPERTIES SUFFIX ".elf")
  target_link_options(${target} PRIVATE "-Wl,-Map=$<TARGET_FILE_DIR:${target}>/${target}.map")
endfunction()
