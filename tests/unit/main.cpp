// The Catch2 main for the unit tests; test files are test_<source>.cpp.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
