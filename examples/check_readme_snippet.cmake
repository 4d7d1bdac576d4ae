# cmake -DREADME=<README.md> -DSNIPPET=<file> -P check_readme_snippet.cmake
# Fails unless the README's first ```cpp block is byte-identical to SNIPPET.
file(READ "${README}" readme)
file(READ "${SNIPPET}" snippet)
set(fence "```cpp\n")
string(FIND "${readme}" "${fence}" start)
if(start EQUAL -1)
  message(FATAL_ERROR "${README} has no ```cpp block")
endif()
string(LENGTH "${fence}" fence_length)
math(EXPR start "${start} + ${fence_length}")
string(SUBSTRING "${readme}" ${start} -1 rest)
string(FIND "${rest}" "\n```" end)
if(end EQUAL -1)
  message(FATAL_ERROR "${README}: the first ```cpp block is not closed")
endif()
math(EXPR end "${end} + 1")  # keep the block's last newline
string(SUBSTRING "${rest}" 0 ${end} block)
if(NOT block STREQUAL snippet)
  message(FATAL_ERROR "The first ```cpp block of ${README} differs from ${SNIPPET}: copy the file "
                      "into the README (or the README's block into the file).")
endif()
message(STATUS "README's first C++ block matches ${SNIPPET}")
