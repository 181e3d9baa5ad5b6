# The bare-metal runtime of the RP2040 port: boot2, vector table and
# bring-up, linker script, a small C library (allocator, memcpy/memset,
# exit, atexit) and the interrupt interface of the drivers
# (src/drivers/rp2/irq.h). The start-up, fatal reports and newlib's system
# calls are src/port/cortex-m's (cortex-m.cmake, which ../port.cmake
# includes before this file). Included by ../port.cmake. Defines
# casyncio_add_firmware(target), which turns an executable into
# <target>.elf, .bin and .uf2.

set(casyncio_runtime_dir ${CMAKE_CURRENT_LIST_DIR})
# casyncio_add_firmware() runs in the scope of whatever project calls it,
# which may take casyncio in with add_subdirectory, where this file's
# variables are not set: it reads these, from the cache. Real paths: node
# runs a script's main part only when started by its real name.
get_filename_component(casyncio_real_tools_dir ${PROJECT_SOURCE_DIR}/tools REALPATH)
set(casyncio_tools_dir ${casyncio_real_tools_dir} CACHE INTERNAL "casyncio's tools/")
set(casyncio_rp2040_gen ${CMAKE_BINARY_DIR}/rp2040)
file(MAKE_DIRECTORY ${casyncio_rp2040_gen})

find_program(CASYNCIO_NODE node)
if(NOT CASYNCIO_NODE)
  message(FATAL_ERROR "casyncio: the rp2040 build needs node (boot2 CRC, UF2 packer); "
                      "tools/install-deps.sh installs what is missing")
endif()

# ---- boot2 ---------------------------------------------------------------------
# The boot ROM checks a CRC32 over boot2's first 252 bytes. boot2.S is
# position independent and has no relocations, so it is assembled alone, its
# bytes are padded and given their CRC by tools/boot2_crc.mjs, and the result
# comes back as an assembly file of .word lines that the library compiles.
# The CRC is therefore in the .elf itself, so the .elf, .bin and .uf2 agree
# (an .elf flashed with a debugger boots too), and nothing patches images later.
# The functions boot2.S defines past its entry (the clock set-up, which fills
# bytes that would be padding) get their names back in that file
# (boot2_symbols.cmake).
set(casyncio_boot2_obj ${casyncio_rp2040_gen}/boot2.o)
set(casyncio_boot2_raw ${casyncio_rp2040_gen}/boot2.raw)
set(casyncio_boot2_src ${casyncio_rp2040_gen}/boot2_crc.S)
add_custom_command(
  OUTPUT ${casyncio_boot2_src}
  COMMAND ${CMAKE_ASM_COMPILER} -mcpu=cortex-m0plus -mthumb -c ${casyncio_runtime_dir}/boot2.S
          -o ${casyncio_boot2_obj}
  COMMAND ${CMAKE_OBJCOPY} -O binary -j .boot2.code ${casyncio_boot2_obj} ${casyncio_boot2_raw}
  COMMAND ${CASYNCIO_NODE} ${casyncio_tools_dir}/boot2_crc.mjs patch ${casyncio_boot2_raw}
          ${casyncio_boot2_src}
  COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM} -DOBJ=${casyncio_boot2_obj}
          -DOUT=${casyncio_boot2_src} -P ${casyncio_runtime_dir}/boot2_symbols.cmake
  DEPENDS ${casyncio_runtime_dir}/boot2.S ${casyncio_tools_dir}/boot2_crc.mjs
          ${casyncio_runtime_dir}/boot2_symbols.cmake
  COMMENT "boot2 with its CRC32"
  VERBATIM)

# ---- the runtime's sources ----------------------------------------------------------
target_sources(casyncio PRIVATE
  ${casyncio_boot2_src}
  ${casyncio_runtime_dir}/atexit.c
  ${casyncio_runtime_dir}/exit.c
  ${casyncio_runtime_dir}/malloc.c
  ${PROJECT_SOURCE_DIR}/src/port/cortex-m/heap.c
  ${casyncio_runtime_dir}/startup.c
  ${casyncio_runtime_dir}/string.c
  ${casyncio_runtime_dir}/vectors_irq.c)
# The files that define C library functions are built with -fno-builtin:
# the compiler must not apply what it knows of those functions to their own
# code (at -O2 it turns calloc's malloc + memset into a call to calloc,
# and drops the stores realloc makes to a chunk it then frees), and
# memcpy's and memset's loops must not become calls to themselves.
# With link-time optimisation (cmake/arm-none-eabi.cmake) the linker learns
# of calls to the functions the compiler treats as built-ins (exit, malloc,
# memcpy, ...) only once the optimisation has run: these files stay
# ordinary objects, which can still be pulled in then, and what they call
# is kept by pulling them in first (-u below).
set_source_files_properties(
  ${casyncio_runtime_dir}/atexit.c ${casyncio_runtime_dir}/exit.c
  ${casyncio_runtime_dir}/malloc.c ${PROJECT_SOURCE_DIR}/src/port/cortex-m/heap.c
  ${casyncio_runtime_dir}/string.c ${casyncio_cortexm_dir}/newlib_syscalls.c
  PROPERTIES COMPILE_OPTIONS "-fno-builtin;-fno-tree-loop-distribute-patterns;-fno-lto")
# The vector table's IRQ 2..25 entries are an ordinary object, pulled out of
# the archive only by a reference to rp2_irq_set_handler() (or the other
# calls of irq.h).
set_source_files_properties(${casyncio_runtime_dir}/vectors_irq.c PROPERTIES COMPILE_OPTIONS
                            "-fno-lto")

# newlib-nano: the small printf, and its headers to match (malloc, exit,
# atexit and errno are the runtime's own: malloc.c, exit.c, atexit.c).
target_compile_options(casyncio PUBLIC --specs=nano.specs)
# Nothing refers to the vector table or boot2: -u pulls those objects out of
# the archive, and the linker script places and KEEPs the tables. newlib,
# searched after the library, calls the system calls and the allocator:
# -u _exit (cortex-m.cmake) and -u malloc pull newlib_syscalls.o (which
# holds the system calls, and calls exit.o's cortexm_exit) and malloc.o
# (the core allocates every loop), so that newlib's own allocator is never
# linked, even by a firmware whose own code never allocates; and both come
# in before link-time optimisation runs, so that the port functions they
# call are kept. --gc-sections drops what stays unused.
target_link_options(casyncio INTERFACE
  -T${casyncio_runtime_dir}/rp2040.ld
  --specs=nano.specs
  -nostartfiles
  -Wl,--gc-sections
  -Wl,-u,casyncio_vectors
  -Wl,-u,casyncio_boot2
  -Wl,-u,malloc)
set_property(TARGET casyncio APPEND PROPERTY INTERFACE_LINK_DEPENDS
             ${casyncio_runtime_dir}/rp2040.ld)

# ---- firmware images --------------------------------------------------------------
# casyncio_add_firmware(<executable target>): <target>.elf (and a .map), then
# after every link <target>.bin (flash image from 0x10000000), <target>.uf2
# (for the Pico's USB boot loader) and a line with flash and RAM sizes.
function(casyncio_add_firmware target)
  set_target_properties(${target} PROPERTIES SUFFIX ".elf")
  target_link_options(${target} PRIVATE "-Wl,-Map=$<TARGET_FILE_DIR:${target}>/${target}.map")
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_OBJCOPY} -O binary $<TARGET_FILE:${target}> $<TARGET_FILE_DIR:${target}>/${target}.bin
    COMMAND ${CASYNCIO_NODE} ${casyncio_tools_dir}/uf2.mjs pack $<TARGET_FILE_DIR:${target}>/${target}.bin
            $<TARGET_FILE_DIR:${target}>/${target}.uf2
    COMMAND ${CASYNCIO_NODE} ${casyncio_tools_dir}/fwsize.mjs $<TARGET_FILE:${target}>
    VERBATIM)
endfunction()

