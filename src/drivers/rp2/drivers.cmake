# The RP2 drivers (RP2040 registers): pins (machine.h) with edge waits,
# UART0 as the console and as a stream, I2C, SPI, ADC and PWM. They reach the core only through
# src/core/driver.h (and stream_transport.h), interrupts only through irq.h,
# which the port provides (the bare-metal runtime's vector table, or
# pico-sdk's irq_*), and take the clocks as the port's start-up leaves them
# (RP2_CLK_PERI_HZ in its asyncio_port_config.h). Included by a port's
# port.cmake.

set(casyncio_drivers_rp2_dir ${CMAKE_CURRENT_LIST_DIR})
target_sources(casyncio PRIVATE
  ${casyncio_drivers_rp2_dir}/machine_pin.c
  ${casyncio_drivers_rp2_dir}/machine_pin_edge.c
  ${casyncio_drivers_rp2_dir}/machine_pin_edges.c
  ${casyncio_drivers_rp2_dir}/uart.c
  ${casyncio_drivers_rp2_dir}/uart_stream.c
  # I2C, SPI, ADC and PWM (machine_i2c.h ...), with the bus ownership and
  # the DMA interrupt they share: archive members, each linked only into
  # firmware that calls it.
  ${casyncio_drivers_rp2_dir}/adc.c
  ${casyncio_drivers_rp2_dir}/i2c.c
  ${casyncio_drivers_rp2_dir}/pwm.c
  ${casyncio_drivers_rp2_dir}/rp2_bus.c
  ${casyncio_drivers_rp2_dir}/rp2_dma.c
  ${casyncio_drivers_rp2_dir}/spi.c)
