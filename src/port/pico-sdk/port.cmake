# The pico-sdk port: included by the top-level CMakeLists.txt when
# CASYNCIO_PORT=pico-sdk, which is the default when casyncio is added with
# add_subdirectory() to a project that has called pico_sdk_init().
#
# casyncio stays a static library compiled against the SDK's headers only;
# the SDK libraries it calls (pico_stdlib: time, GPIO, IRQs, stdio, clocks,
# resets, UART; hardware_dma for the drivers' channel claims) are
# linked into the program that links casyncio, as pico-sdk libraries are,
# so that each SDK source is compiled once per program:
#
#   target_link_libraries(app pico_stdlib casyncio)
#   target_link_libraries(app pico_stdlib casyncio casyncio_usb)   # + the USB serial stream
#
# casyncio_pico_uf2(<target>) packs <target>.bin into a .uf2 with the right
# family ID, for builds without picotool (PICO_NO_PICOTOOL).

if(NOT COMMAND pico_add_extra_outputs)
  message(FATAL_ERROR "casyncio: CASYNCIO_PORT=pico-sdk needs a pico-sdk project: "
                      "include pico_sdk_import.cmake before project() and call pico_sdk_init() "
                      "before add_subdirectory(casyncio)")
endif()

set(casyncio_pico_dir ${CMAKE_CURRENT_LIST_DIR})

if(PICO_PLATFORM STREQUAL "rp2040")
  set(casyncio_pico_switch ${PROJECT_SOURCE_DIR}/src/arch/armv6m.S)
  # asyncio_yield's common case in assembly, which reads the running core's
  # number from the SIO's CPUID register to find its loop.
  target_sources(casyncio PRIVATE ${PROJECT_SOURCE_DIR}/src/port/cortex-m/yield_armv6m.S)
  target_compile_definitions(casyncio PRIVATE YIELD_CPUID_REG=0xd0000000)
  set(casyncio_pico_uf2_family rp2040)
elseif(PICO_PLATFORM MATCHES "^rp2350-arm")
  set(casyncio_pico_switch ${PROJECT_SOURCE_DIR}/src/arch/armv8m.S)
  if(PICO_PLATFORM STREQUAL "rp2350-arm-ns")
    set(casyncio_pico_uf2_family rp2350-arm-ns)
  else()
    set(casyncio_pico_uf2_family rp2350-arm-s)
  endif()
else()
  message(FATAL_ERROR "casyncio: no context switch for PICO_PLATFORM '${PICO_PLATFORM}' "
                      "(rp2040 and rp2350-arm-s are supported; RISC-V needs src/arch/rv32.S)")
endif()
if(NOT EXISTS ${casyncio_pico_switch})
  message(FATAL_ERROR "casyncio: ${casyncio_pico_switch} is missing")
endif()

target_sources(casyncio PRIVATE
  ${casyncio_pico_switch}
  ${casyncio_pico_dir}/machine.c
  ${casyncio_pico_dir}/machine_edge.c
  ${PROJECT_SOURCE_DIR}/src/drivers/rp2/machine_pin_edge_wait.c
  ${casyncio_pico_dir}/port_heap.c
  ${PROJECT_SOURCE_DIR}/src/port/cortex-m/heap.c
  ${casyncio_pico_dir}/port_sys.c
  ${PROJECT_SOURCE_DIR}/src/port/cortex-m/error_names.c
  ${casyncio_pico_dir}/port_time.c
  ${casyncio_pico_dir}/port_watch.c
  ${casyncio_pico_dir}/rp2_irq.c
  ${casyncio_pico_dir}/rp2_chip_check.c
  ${casyncio_pico_dir}/rp2_periph.c
  ${casyncio_pico_dir}/uart_port.c
  ${PROJECT_SOURCE_DIR}/src/drivers/rp2/uart_stream.c
  # Task stacks with a canary below each, as on the bare-metal ports.
  ${PROJECT_SOURCE_DIR}/src/port/cortex-m/port_stack.c)
# I2C, SPI, ADC and PWM (machine_i2c.h ...): the RP2 drivers on the SDK's
# interrupts (rp2_irq.c), resets, DMA channel claims and clocks
# (rp2_periph.c), the chip's facts from the SDK's headers (rp2_chip.h,
# checked by rp2_chip_check.c); the UART stream (asyncio_stream_uart) on a
# UART stdio does not use (uart_port.c).
include(${PROJECT_SOURCE_DIR}/src/drivers/rp2/periph.cmake)
# Built for size whatever the program's build type (-Os costs the switch
# little, make bench-pico-sdk), and a section per function as pico-sdk's
# own code is, so that the program's --gc-sections keeps only what it uses.
# With link-time optimisation across casyncio's own files (what a program
# does not use of a call's options is left out, small calls inline): 860 B
# less in the blink. The objects are fat, so a link that does not run the
# optimisation uses their ordinary code.
target_compile_options(casyncio PRIVATE -Os -ffunction-sections -fdata-sections -flto -ffat-lto-objects)
target_compile_definitions(casyncio PUBLIC CASYNCIO_PORT_PICO_SDK=1)
# The SDK's headers (and the board's configuration) to compile casyncio;
# the libraries themselves go to the program.
target_link_libraries(casyncio PRIVATE
  pico_stdlib_headers hardware_gpio_headers hardware_irq_headers hardware_sync_headers
  hardware_timer_headers pico_stdio_headers pico_time_headers hardware_clocks_headers
  hardware_dma_headers hardware_resets_headers hardware_uart_headers)
target_link_libraries(casyncio INTERFACE pico_stdlib hardware_dma)
# casyncio's heap (port_heap.c) grows through sbrk beside newlib's malloc:
# every sbrk of the program goes through its lock.
target_link_options(casyncio INTERFACE "LINKER:--wrap=_sbrk")

# The USB serial stream (asyncio_stream_usb_cdc), for programs that link
# casyncio_usb: compiled with the program, as pico-sdk's own libraries are,
# since TinyUSB's configuration is the program's (pico_stdio_usb's
# tusb_config.h). It brings pico_stdio_usb, which runs the USB device.
if(TARGET tinyusb_device)
  add_library(casyncio_usb INTERFACE)
  target_sources(casyncio_usb INTERFACE ${casyncio_pico_dir}/usb_stream.c)
  target_link_libraries(casyncio_usb INTERFACE casyncio pico_stdio_usb)
endif()

find_program(CASYNCIO_NODE node)
# Read by the function below from the program's directory. The real path:
# node runs a script's main part only when started by its real name, and
# casyncio may be reached through a link.
get_filename_component(casyncio_pico_uf2_tool ${PROJECT_SOURCE_DIR}/tools/uf2.mjs REALPATH)
set(CASYNCIO_PICO_UF2_TOOL ${casyncio_pico_uf2_tool} CACHE INTERNAL "")
set(CASYNCIO_PICO_UF2_FAMILY ${casyncio_pico_uf2_family} CACHE INTERNAL "")
function(casyncio_pico_uf2 target)
  if(NOT CASYNCIO_NODE)
    message(FATAL_ERROR "casyncio_pico_uf2: needs node (tools/uf2.mjs)")
  endif()
  pico_add_bin_output(${target})
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CASYNCIO_NODE} ${CASYNCIO_PICO_UF2_TOOL} pack
            $<TARGET_FILE_DIR:${target}>/${target}.bin
            $<TARGET_FILE_DIR:${target}>/${target}.uf2
            --family ${CASYNCIO_PICO_UF2_FAMILY}
    VERBATIM)
endfunction()
