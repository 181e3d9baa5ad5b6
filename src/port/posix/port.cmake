# The POSIX port (Linux; other POSIX systems with the poll(2) poller):
# included by the top-level CMakeLists.txt when CASYNCIO_PORT=posix.
#
# Options: CASYNCIO_POLLER (epoll or poll), CASYNCIO_UCONTEXT (the portable
# switch instead of the assembly one).

option(CASYNCIO_UCONTEXT "Switch stacks with ucontext instead of assembly (POSIX)" OFF)
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  set(casyncio_default_poller epoll)
else()
  set(casyncio_default_poller poll)
endif()
set(CASYNCIO_POLLER ${casyncio_default_poller} CACHE STRING "POSIX poller: epoll or poll")
set_property(CACHE CASYNCIO_POLLER PROPERTY STRINGS epoll poll)
if(NOT CASYNCIO_POLLER MATCHES "^(epoll|poll)$")
  message(FATAL_ERROR "unknown CASYNCIO_POLLER '${CASYNCIO_POLLER}' (epoll or poll)")
endif()

set(casyncio_posix_dir ${CMAKE_CURRENT_LIST_DIR})
file(GLOB casyncio_posix_sources CONFIGURE_DEPENDS ${casyncio_posix_dir}/*.c)
# one poller file: poll_epoll.c or poll_poll.c
list(FILTER casyncio_posix_sources EXCLUDE REGEX "/poll_[a-z]+\\.c$")
list(APPEND casyncio_posix_sources ${casyncio_posix_dir}/poll_${CASYNCIO_POLLER}.c)
target_sources(casyncio PRIVATE ${casyncio_posix_sources})

if(CASYNCIO_UCONTEXT)
  target_sources(casyncio PRIVATE ${PROJECT_SOURCE_DIR}/src/arch/ucontext.c)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64|amd64")
  target_sources(casyncio PRIVATE ${PROJECT_SOURCE_DIR}/src/arch/x86_64.S)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64")
  target_sources(casyncio PRIVATE ${PROJECT_SOURCE_DIR}/src/arch/aarch64.S)
else()
  message(STATUS "casyncio: no assembly switch for ${CMAKE_SYSTEM_PROCESSOR}; using ucontext")
  target_sources(casyncio PRIVATE ${PROJECT_SOURCE_DIR}/src/arch/ucontext.c)
endif()

include(CheckIncludeFile)
check_include_file(valgrind/valgrind.h CASYNCIO_HAVE_VALGRIND_H)
if(CASYNCIO_HAVE_VALGRIND_H)
  target_compile_definitions(casyncio PRIVATE CASYNCIO_VALGRIND=1)
endif()
find_package(Threads REQUIRED)
target_link_libraries(casyncio PUBLIC Threads::Threads)

# The host benchmarks beside CPython (make bench).
if(EXISTS ${PROJECT_SOURCE_DIR}/bench/CMakeLists.txt)
  set(casyncio_port_bench_dir ${PROJECT_SOURCE_DIR}/bench)
endif()
