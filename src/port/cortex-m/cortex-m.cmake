# The bare-metal Cortex-M runtime the rp2040 and mps2-an505 ports share
# (cortexm.h: what it provides, and the hooks each port provides): start-up,
# fatal reports, newlib's console system calls, interrupt masking and task
# stacks. Included by those ports' port.cmake; the pico-sdk port takes only
# port_stack.c.

set(casyncio_cortexm_dir ${CMAKE_CURRENT_LIST_DIR})

target_sources(casyncio PRIVATE
  ${casyncio_cortexm_dir}/fatal.c
  ${casyncio_cortexm_dir}/newlib_syscalls.c
  ${casyncio_cortexm_dir}/port_stack.c
  ${casyncio_cortexm_dir}/port_sys.c
  ${casyncio_cortexm_dir}/start.c)

# newlib, searched after the library, is what calls the system calls: -u
# _exit pulls newlib_syscalls.c's object out of the archive first (the
# reset handler's exit() needs it anyway; --gc-sections then drops the
# calls a firmware's stdio does not make).
target_link_options(casyncio INTERFACE -Wl,-u,_exit)
