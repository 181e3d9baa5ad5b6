# The RP2 drivers (RP2040 registers): pins (machine.h) with edge waits,
# UART0 as the console and as a stream, and those of periph.cmake (I2C,
# SPI, ADC, PWM). They reach the core only through src/core/driver.h (and
# stream_transport.h), interrupts only through irq.h, which the port
# provides (the bare-metal runtime's vector table, or pico-sdk's irq_*), and
# take the clocks as the port's start-up leaves them (RP2_CLK_PERI_HZ in its
# asyncio_port_config.h). Included by the bare-metal port's port.cmake.

set(casyncio_drivers_rp2_dir ${CMAKE_CURRENT_LIST_DIR})
target_sources(casyncio PRIVATE
  ${casyncio_drivers_rp2_dir}/machine_pin.c
  ${casyncio_drivers_rp2_dir}/machine_pin_edge.c
  ${casyncio_drivers_rp2_dir}/machine_pin_edge_wait.c
  ${casyncio_drivers_rp2_dir}/machine_pin_edges.c
  ${casyncio_drivers_rp2_dir}/uart.c
  ${casyncio_drivers_rp2_dir}/uart_stream.c)
include(${casyncio_drivers_rp2_dir}/periph.cmake)
