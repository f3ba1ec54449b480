# mspo_sanitizers: ASan + UBSan when MSPO_SANITIZE is on; empty otherwise.
add_library(mspo_sanitizers INTERFACE)
if(MSPO_SANITIZE)
  target_compile_options(mspo_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(mspo_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
