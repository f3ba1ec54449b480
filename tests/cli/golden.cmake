# Golden CLI cases (tests/cli/golden.sh describes the case format).
#
# mspo_golden_cases(TOOL) registers one CTest `TOOL.<case>` per folder
# tests/cli/TOOL/cases/<case>/, labelled `cli;TOOL`, plus `slow` where the case
# holds a `slow` file; a `timeout` file holds the case's CTest timeout in
# seconds. A case with a `skip-windows` file is registered disabled in the
# Windows build, one with an `only-windows` file only there (each file says
# why). Every built tool (each tools/<name> target) and the check driver are
# handed to the runner, so any case may run any of them. Nothing is registered
# when TOOL or pogen (which builds the fixtures) is not built.

set(MSPO_GOLDEN_RUNNER ${CMAKE_CURRENT_LIST_DIR}/golden.sh)

# A test helper that prints run_checks() findings, one per line (check, file,
# record, offset, message; tab-separated); exit 0 none, 4 some, 8 error. Cases
# call it as `run check_driver DIR` or through `checks_clean DIR`.
add_executable(mspo_check_driver ${CMAKE_CURRENT_LIST_DIR}/check_driver.cpp)
target_link_libraries(mspo_check_driver PRIVATE mspo_common)
# Windows only: a program that holds a file as External or a client would
# (LockFileEx, or a share mode that denies others), for the cases that check a
# fixer refuses while in use; cases call it as `hold_file` (hold_file.cpp).
if(WIN32)
  add_executable(mspo_hold_file ${CMAKE_CURRENT_LIST_DIR}/hold_file.cpp)
endif()

function(mspo_golden_tools out)
  set(args "check_driver=$<TARGET_FILE:mspo_check_driver>")
  if(TARGET mspo_hold_file)
    list(APPEND args "hold_file=$<TARGET_FILE:mspo_hold_file>")
  endif()
  file(GLOB tool_dirs LIST_DIRECTORIES true ${CMAKE_SOURCE_DIR}/tools/*)
  foreach(dir ${tool_dirs})
    get_filename_component(name ${dir} NAME)
    if(IS_DIRECTORY ${dir} AND TARGET ${name})
      list(APPEND args "${name}=$<TARGET_FILE:${name}>")
    endif()
  endforeach()
  set(${out} ${args} PARENT_SCOPE)
endfunction()

function(mspo_golden_cases tool)
  if(NOT TARGET ${tool} OR NOT TARGET pogen)
    return()
  endif()
  mspo_golden_tools(tools)
  file(GLOB case_dirs LIST_DIRECTORIES true CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/cases/*)
  foreach(dir ${case_dirs})
    if(NOT IS_DIRECTORY ${dir})
      continue()
    endif()
    get_filename_component(name ${dir} NAME)
    if(NOT WIN32 AND EXISTS ${dir}/only-windows)
      continue()  # the file says why: a Windows program plays the other side
    endif()
    set(test ${tool}.${name})
    add_test(NAME ${test} COMMAND bash ${MSPO_GOLDEN_RUNNER} ${dir} ${tools})
    set(labels cli ${tool})
    if(EXISTS ${dir}/slow)
      list(APPEND labels slow)
    endif()
    set_tests_properties(${test} PROPERTIES LABELS "${labels}")
    if(CMAKE_CROSSCOMPILING_EMULATOR)
      set_tests_properties(${test} PROPERTIES ENVIRONMENT "MSPO_TOOL_EMULATOR=${CMAKE_CROSSCOMPILING_EMULATOR}")
    endif()
    if(WIN32 AND EXISTS ${dir}/skip-windows)
      # The file says why (chmod, FIFOs, users): ctest lists the case as Not Run.
      set_tests_properties(${test} PROPERTIES DISABLED TRUE)
    endif()
    if(EXISTS ${dir}/timeout)
      file(STRINGS ${dir}/timeout seconds LIMIT_COUNT 1)
      set_tests_properties(${test} PROPERTIES TIMEOUT ${seconds})
    endif()
  endforeach()
endfunction()

# The runner's own test: fixture cases run against a stand-in tool, where a
# wrong rc, stdout or stderr (or a missing run 2 expectation) must fail.
add_test(NAME golden.self_test COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/golden-self-test ${MSPO_GOLDEN_RUNNER})
set_tests_properties(golden.self_test PROPERTIES LABELS "cli;golden")
