# mspo_sanitizers: ASan + UBSan when MSPO_SANITIZE is on; empty otherwise.
# MSPO_FUZZ (clang only; tests/fuzz, scripts/fuzz): ASan + UBSan and
# libFuzzer's coverage instrumentation over the whole library.
add_library(mspo_sanitizers INTERFACE)
if(MSPO_SANITIZE OR MSPO_FUZZ)
  target_compile_options(mspo_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(mspo_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
if(MSPO_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "MSPO_FUZZ=ON needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  target_compile_options(mspo_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
endif()
