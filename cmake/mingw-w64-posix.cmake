# Cross-compiling toolchain: Windows x86-64 .exe files built on Debian 12 with
# mingw-w64's posix-threads compilers (g++-mingw-w64-x86-64-posix; the win32
# variant has no std::thread). scripts/build-windows uses it:
#   cmake -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-posix.cmake -DMSPO_WINDOWS_DEPS=DIR ...
# MSPO_WINDOWS_DEPS (or the environment variable of that name) is the prefix
# holding what Debian has no Windows package of: Boost.Program_options and
# libarchive built for Windows, and links to the header-only libraries
# (boost, nlohmann, catch2), so that /usr/include itself never enters the
# cross include path. Every tool links fully static: no DLL beside the .exe.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(MSPO_MINGW_TRIPLET x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${MSPO_MINGW_TRIPLET}-gcc-posix)
set(CMAKE_CXX_COMPILER ${MSPO_MINGW_TRIPLET}-g++-posix)
set(CMAKE_RC_COMPILER ${MSPO_MINGW_TRIPLET}-windres)

if(NOT MSPO_WINDOWS_DEPS AND DEFINED ENV{MSPO_WINDOWS_DEPS})
  set(MSPO_WINDOWS_DEPS "$ENV{MSPO_WINDOWS_DEPS}")
endif()
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES MSPO_WINDOWS_DEPS)

set(CMAKE_FIND_ROOT_PATH /usr/${MSPO_MINGW_TRIPLET})
if(MSPO_WINDOWS_DEPS)
  list(APPEND CMAKE_FIND_ROOT_PATH ${MSPO_WINDOWS_DEPS})
endif()
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# -static: otherwise every .exe needs libstdc++, libgcc and winpthread DLLs
# (under WINEDEBUG=-all a missing DLL is only exit code 53, with no message).
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# The static zlib (libz-mingw-w64-dev): with the import library, libarchive's
# build adds ZLIB_DLL and the static link fails.
set(ZLIB_LIBRARY /usr/${MSPO_MINGW_TRIPLET}/lib/libz.a CACHE FILEPATH "static zlib for Windows")
set(ZLIB_INCLUDE_DIR /usr/${MSPO_MINGW_TRIPLET}/include CACHE PATH "zlib headers for Windows")
if(MSPO_WINDOWS_DEPS)
  set(LibArchive_INCLUDE_DIR ${MSPO_WINDOWS_DEPS}/include CACHE PATH "")
  set(LibArchive_LIBRARY ${MSPO_WINDOWS_DEPS}/lib/libarchive.a CACHE FILEPATH "")
  set(Boost_DIR ${MSPO_WINDOWS_DEPS}/lib/cmake/Boost-1.74.0 CACHE PATH "")
  set(nlohmann_json_DIR ${MSPO_WINDOWS_DEPS}/share/cmake/nlohmann_json CACHE PATH "")
  set(Catch2_DIR ${MSPO_WINDOWS_DEPS}/lib/cmake/Catch2 CACHE PATH "")
endif()

# ctest (and catch_discover_tests) run the .exe files under wine.
if(NOT DEFINED CMAKE_CROSSCOMPILING_EMULATOR)
  find_program(MSPO_WINE wine)
  if(MSPO_WINE)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${MSPO_WINE})
  endif()
endif()
