# mspo_warnings: an INTERFACE target every project target links to.
add_library(mspo_warnings INTERFACE)
target_compile_options(mspo_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wnull-dereference -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(MSPO_WERROR)
  target_compile_options(mspo_warnings INTERFACE -Werror)
endif()
if(MSPO_SANITIZE)
  # GCC 12 with -fsanitize gives false -Wmaybe-uninitialized inside std::regex
  # (pulled in by Catch2) and other library headers.
  target_compile_options(mspo_warnings INTERFACE -Wno-maybe-uninitialized)
endif()
