// Shared by the tools' option tests (test_<tool>_options.cpp): the usage
// error a bad command line causes, whatever the tool.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "mspo/base/error.hpp"

namespace mspo::test {

/// The message of the usage error `parse(args)` throws; fails the test if it
/// throws none, or another kind of error.
template <class Parse>
std::string usage_error_of(Parse parse, const std::vector<std::string>& args) {
    try {
        parse(args);
    } catch (const Error& e) {
        CHECK(e.code() == Errc::usage);
        return e.what();
    }
    FAIL("no usage error for a bad command line");
    return "";
}

}  // namespace mspo::test
