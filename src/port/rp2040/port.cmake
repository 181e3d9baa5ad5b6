# The RP2040 port, bare metal: included by the top-level CMakeLists.txt when
# CASYNCIO_PORT=rp2040 (with cmake/arm-none-eabi.cmake as the toolchain).
#
# Three layers, each with its own list:
#   this folder          the port contract (clock, alarm, WFE idle, the
#                        console, the slow-step watch's ALARM1), with the
#                        bare-metal Cortex-M code it shares with mps2-an505
#                        (src/port/cortex-m: stacks, critical sections,
#                        start-up, fatal reports, console system calls);
#   runtime/             the bare-metal bring-up and C runtime
#                        (runtime/runtime.cmake: boot2, bring-up, vector
#                        table and irq.h, linker script, small libc, and
#                        casyncio_add_firmware);
#   src/drivers/rp2/     GPIO, UART, I2C, SPI, ADC and PWM drivers
#                        (drivers.cmake), which reach the core through
#                        driver.h, interrupts through irq.h, and resets and
#                        DMA channels through rp2_port.h (rp2_periph.c).

set(casyncio_rp2040_dir ${CMAKE_CURRENT_LIST_DIR})

target_sources(casyncio PRIVATE
  ${PROJECT_SOURCE_DIR}/src/arch/armv6m.S
  ${PROJECT_SOURCE_DIR}/src/port/cortex-m/yield_armv6m.S
  ${casyncio_rp2040_dir}/port_console.c
  ${PROJECT_SOURCE_DIR}/src/port/cortex-m/error_names.c
  ${casyncio_rp2040_dir}/port_time.c
  ${casyncio_rp2040_dir}/rp2_periph.c
  ${casyncio_rp2040_dir}/watch.c)
# GCC's if-conversion trades branches for conditional sequences that
# Thumb-1, without conditional execution, spells out in full: measured
# smaller and no slower on this port (make bench-rp2040).
target_compile_options(casyncio PRIVATE -fno-if-conversion)
# The RP2040 section of asyncio_stream.h (the UART stream).
target_compile_definitions(casyncio PUBLIC CASYNCIO_PORT_RP2040=1)

include(${PROJECT_SOURCE_DIR}/src/port/cortex-m/cortex-m.cmake)
include(${casyncio_rp2040_dir}/runtime/runtime.cmake)
include(${PROJECT_SOURCE_DIR}/src/drivers/rp2/drivers.cmake)

# The firmware benchmarks (make bench-rp2040).
set(casyncio_port_bench_dir ${PROJECT_SOURCE_DIR}/bench/rp2040)
