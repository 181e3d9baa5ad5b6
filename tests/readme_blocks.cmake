# The C in README.md, compiled as a user who copies it would: every ```c
# block becomes a source file of an object library built with
# -std=c11 -Wall -Wextra -Werror and nothing else, and a test builds it, so a
# block that warns (or no longer matches the API) fails the test.
#
# A block that is a fragment (no #include of its own) gets the public
# headers included before it, and its static functions may go unused there
# (the program around a fragment is not shown), so only for fragments
# -Wunused-function is off. Blocks that use a port's own API are compiled
# where that API exists: `asyncio_stream_uart` only for the RP2040,
# `asyncio_stream_usb_cdc` and pico-sdk's headers only for pico-sdk.
function(casyncio_readme_blocks_test test_name)
  file(READ ${PROJECT_SOURCE_DIR}/README.md rest)
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/readme_blocks)
  file(REMOVE_RECURSE ${dir})
  set(sources "")
  set(n 0)
  # (string(FIND) rather than a regex list: C's semicolons would split a list)
  while(TRUE)
    string(FIND "${rest}" "```c\n" start)
    if(start EQUAL -1)
      break()
    endif()
    math(EXPR start "${start} + 5")
    string(SUBSTRING "${rest}" ${start} -1 rest)
    string(FIND "${rest}" "\n```" end)
    if(end EQUAL -1)
      message(FATAL_ERROR "README.md: a ```c block does not end")
    endif()
    math(EXPR end "${end} + 1")
    string(SUBSTRING "${rest}" 0 ${end} code)
    string(SUBSTRING "${rest}" ${end} -1 rest)
    math(EXPR n "${n} + 1")
    if(code MATCHES "asyncio_stream_uart" AND NOT CASYNCIO_PORT STREQUAL "rp2040")
      continue()
    endif()
    if(code MATCHES "asyncio_stream_usb_cdc|pico/" AND NOT CASYNCIO_PORT STREQUAL "pico-sdk")
      continue()
    endif()
    if(NOT code MATCHES "#include")
      set(code "#include <errno.h>\n#include \"asyncio.h\"\n#include \"asyncio_stream.h\"\n#include \"machine.h\"\n#pragma GCC diagnostic ignored \"-Wunused-function\"\n#line 1\n${code}")
    endif()
    file(WRITE ${dir}/readme_block_${n}.c "${code}")
    list(APPEND sources ${dir}/readme_block_${n}.c)
  endwhile()
  if(NOT sources)
    message(FATAL_ERROR "no ```c block found in README.md")
  endif()
  add_library(${test_name} OBJECT EXCLUDE_FROM_ALL ${sources})
  target_compile_options(${test_name} PRIVATE -Wall -Wextra -Werror)
  target_link_libraries(${test_name} PRIVATE casyncio) # its headers and definitions only
  # the headers of the examples README quotes from
  target_include_directories(${test_name} PRIVATE ${PROJECT_SOURCE_DIR}/examples/sensor-display)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/README.md)
  add_test(NAME ${test_name}
           COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target ${test_name})
  set_tests_properties(${test_name} PROPERTIES LABELS "docs" TIMEOUT 300)
endfunction()
