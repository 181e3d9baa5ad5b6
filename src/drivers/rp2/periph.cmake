# The RP2 peripheral drivers with MicroPython's names (machine_i2c.h,
# machine_spi.h, machine_adc.h, machine_pwm.h), with the bus ownership and
# the DMA interrupt they share: archive members, each linked only into
# firmware that calls it. Besides irq.h they need the port's rp2_port.h
# hooks (resets, DMA channel claims) and its clocks. Included by both RP2
# ports (the bare-metal one through drivers.cmake, and pico-sdk).

set(casyncio_periph_rp2_dir ${CMAKE_CURRENT_LIST_DIR})
target_sources(casyncio PRIVATE
  ${casyncio_periph_rp2_dir}/adc.c
  ${casyncio_periph_rp2_dir}/i2c.c
  ${casyncio_periph_rp2_dir}/pwm.c
  ${casyncio_periph_rp2_dir}/rp2_bus.c
  ${casyncio_periph_rp2_dir}/rp2_dma.c
  ${casyncio_periph_rp2_dir}/spi.c)
