# cmake -P script: see CompileFail.cmake. Inputs: COMPILER, SOURCE, FLAGS ("|"-separated).
string(REPLACE "|" ";" flags "${FLAGS}")
file(STRINGS ${SOURCE} first_line LIMIT_COUNT 1)
if(NOT first_line MATCHES "^// expect-error: (.+)$")
  message(FATAL_ERROR "${SOURCE}: first line must be '// expect-error: <regex>'")
endif()
set(expected "${CMAKE_MATCH_1}")

execute_process(COMMAND ${COMPILER} ${flags} -DCOURIER_COMPILE_FAIL_CONTROL ${SOURCE}
                RESULT_VARIABLE control_result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT control_result EQUAL 0)
  message(FATAL_ERROR "control build of ${SOURCE} must compile but failed:\n${out}${err}")
endif()

execute_process(COMMAND ${COMPILER} ${flags} ${SOURCE}
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(result EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but it must not")
endif()
if(NOT "${out}${err}" MATCHES "${expected}")
  message(FATAL_ERROR "${SOURCE} failed, but not with '${expected}':\n${out}${err}")
endif()
message(STATUS "${SOURCE}: refused as expected (${expected})")
