# The lwIP TCP transport (CASYNCIO_LWIP=ON): lwIP built from source with
# casyncio's lwipopts.h, and the casyncio_lwip library whose TCP calls
# (asyncio_open_connection, asyncio_start_server, ...) take the place of the
# socket ones in programs that link it.
#
# lwIP's source: CASYNCIO_LWIP_DIR if set, else pico-sdk's lib/lwip
# (PICO_SDK_PATH), else lib/lwip unpacked at configure time from the pico-sdk
# release archive CASYNCIO_PICO_SDK_ARCHIVE into the build tree.

file(GLOB casyncio_lwip_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/net/lwip/*.c)

# On pico-sdk (the Pico W): lwIP is the SDK's, built into the program with
# this lwipopts.h by pico_cyw43_arch_lwip_poll; casyncio_lwip's sources are
# compiled with the program too, as the SDK's libraries are.
#   target_link_libraries(app pico_stdlib casyncio_lwip)   # PICO_BOARD=pico_w
if(CASYNCIO_PORT STREQUAL "pico-sdk")
  add_library(casyncio_lwip INTERFACE)
  target_sources(casyncio_lwip INTERFACE ${casyncio_lwip_sources}
                 ${PROJECT_SOURCE_DIR}/src/net/lwip/pico_w/lwip_cyw43.c)
  target_include_directories(casyncio_lwip INTERFACE ${PROJECT_SOURCE_DIR}/src/net/lwip)
  target_link_libraries(casyncio_lwip INTERFACE casyncio pico_cyw43_arch_lwip_poll)
  return()
endif()

set(CASYNCIO_LWIP_DIR "" CACHE PATH "lwIP source tree (default: pico-sdk's lib/lwip)")
set(CASYNCIO_PICO_SDK_ARCHIVE "${PROJECT_SOURCE_DIR}/../shared/vendor/pico-sdk-2.2.0.tar.xz"
    CACHE FILEPATH "pico-sdk release archive to take lib/lwip from")

set(casyncio_lwip_dir "${CASYNCIO_LWIP_DIR}")
if(NOT casyncio_lwip_dir AND DEFINED ENV{PICO_SDK_PATH} AND EXISTS "$ENV{PICO_SDK_PATH}/lib/lwip/src/core/tcp.c")
  set(casyncio_lwip_dir "$ENV{PICO_SDK_PATH}/lib/lwip")
endif()
if(NOT casyncio_lwip_dir)
  set(casyncio_lwip_dir "${CMAKE_BINARY_DIR}/_deps/pico-sdk/lib/lwip")
  if(NOT EXISTS "${casyncio_lwip_dir}/src/core/tcp.c")
    if(NOT EXISTS "${CASYNCIO_PICO_SDK_ARCHIVE}")
      message(FATAL_ERROR "CASYNCIO_LWIP: no lwIP source: set CASYNCIO_LWIP_DIR, PICO_SDK_PATH or "
                          "CASYNCIO_PICO_SDK_ARCHIVE")
    endif()
    message(STATUS "casyncio: unpacking lib/lwip from ${CASYNCIO_PICO_SDK_ARCHIVE}")
    file(MAKE_DIRECTORY "${CMAKE_BINARY_DIR}/_deps")
    execute_process(COMMAND tar -xJf "${CASYNCIO_PICO_SDK_ARCHIVE}" pico-sdk/lib/lwip
                    WORKING_DIRECTORY "${CMAKE_BINARY_DIR}/_deps" RESULT_VARIABLE casyncio_untar)
    if(NOT casyncio_untar EQUAL 0 OR NOT EXISTS "${casyncio_lwip_dir}/src/core/tcp.c")
      message(FATAL_ERROR "CASYNCIO_LWIP: cannot unpack lib/lwip from ${CASYNCIO_PICO_SDK_ARCHIVE}")
    endif()
  endif()
endif()
message(STATUS "casyncio: lwIP from ${casyncio_lwip_dir}")

# lwIP itself (third-party code, built with its own conventions: no
# -Werror) and casyncio_lwip over it, in one variant per configuration.
file(GLOB casyncio_lwip_stack_sources
     ${casyncio_lwip_dir}/src/core/*.c ${casyncio_lwip_dir}/src/core/ipv4/*.c
     ${casyncio_lwip_dir}/src/core/ipv6/*.c ${casyncio_lwip_dir}/src/netif/ethernet.c)
set_source_files_properties(${casyncio_lwip_stack_sources} PROPERTIES COMPILE_OPTIONS "-w")
set_source_files_properties(${PROJECT_SOURCE_DIR}/src/net/lwip/host/lwip_host.c PROPERTIES
  COMPILE_OPTIONS "-Wall;-Wextra;-Werror")

# casyncio_lwip<suffix> over casyncio_lwip_stack<suffix>, lwIP compiled
# with the definitions given (on top of lwipopts.h) and the host's port
# (host/lwip_host.c: lwIP initialised by casyncio, its clock the loop's).
function(casyncio_lwip_host_variant suffix)
  add_library(casyncio_lwip_stack${suffix} STATIC ${casyncio_lwip_stack_sources}
              ${PROJECT_SOURCE_DIR}/src/net/lwip/host/lwip_host.c)
  target_include_directories(casyncio_lwip_stack${suffix} PRIVATE ${PROJECT_SOURCE_DIR}/include
                             ${PROJECT_SOURCE_DIR}/src/port/${CASYNCIO_PORT})
  target_include_directories(casyncio_lwip_stack${suffix} PUBLIC
    ${casyncio_lwip_dir}/src/include ${PROJECT_SOURCE_DIR}/src/net/lwip
    ${PROJECT_SOURCE_DIR}/src/net/lwip/host)
  set_target_properties(casyncio_lwip_stack${suffix} PROPERTIES C_EXTENSIONS ON)
  # Tasks get the host's usual stacks (sanitizers make frames big); no DHCP
  # on the host; 8-byte alignment for a 64-bit host's pointers.
  target_compile_definitions(casyncio_lwip_stack${suffix} PUBLIC
    LWIP_DHCP=0 MEM_ALIGNMENT=8 ASYNCIO_LWIP_SERVICE_STACK=65536 ASYNCIO_LWIP_CLIENT_STACK=0
    ${ARGN})
  add_library(casyncio_lwip${suffix} STATIC ${casyncio_lwip_sources}
              ${PROJECT_SOURCE_DIR}/src/net/lwip/host/lwip_tap.c)
  target_compile_options(casyncio_lwip${suffix} PRIVATE ${casyncio_warnings})
  target_include_directories(casyncio_lwip${suffix} PRIVATE
                             ${PROJECT_SOURCE_DIR}/src/port/${CASYNCIO_PORT})
  target_link_libraries(casyncio_lwip${suffix} PUBLIC casyncio casyncio_lwip_stack${suffix})
endfunction()

# casyncio_lwip: lwIP's heap and pools from malloc, so that the sanitizers
# and valgrind watch lwIP's buffers too and tests are not bound by the Pico
# W's pool sizes.
casyncio_lwip_host_variant("" MEM_LIBC_MALLOC=1 MEMP_MEM_MALLOC=1)
# casyncio_lwip_pico_limits: lwipopts.h's own heap and pools (the Pico W's),
# with lwIP's statistics, for the tests of those limits.
casyncio_lwip_host_variant(_pico_limits LWIP_STATS=1 MEM_STATS=1 MEMP_STATS=1)
