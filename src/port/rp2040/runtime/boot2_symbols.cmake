# Gives the functions that boot2.S defines past its entry their names back in
# the patched copy (boot2_crc.S holds only words): one .thumb_set each, at
# its offset from casyncio_boot2. Run by port.cmake after boot2_crc.mjs:
#   cmake -DNM=<nm> -DOBJ=<boot2.o> -DOUT=<boot2_crc.S> -P boot2_symbols.cmake
execute_process(COMMAND ${NM} --defined-only ${OBJ} OUTPUT_VARIABLE symbols
                RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "boot2_symbols.cmake: ${NM} ${OBJ} failed: ${failed}")
endif()
string(REPLACE "\n" ";" symbols "${symbols}")
foreach(line IN LISTS symbols)
  if(line MATCHES "^([0-9a-fA-F]+) T ([A-Za-z_][A-Za-z0-9_]*)$"
     AND NOT CMAKE_MATCH_2 STREQUAL "casyncio_boot2_entry")
    file(APPEND ${OUT} "    .global ${CMAKE_MATCH_2}\n"
                       "    .thumb_set ${CMAKE_MATCH_2}, casyncio_boot2 + 0x${CMAKE_MATCH_1}\n")
  endif()
endforeach()
