#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "mspo/safety/duplicate_paths.hpp"

using mspo::safety::first_repeated_path;

namespace {
std::optional<std::size_t> repeated(const std::vector<std::string>& paths) {
    return first_repeated_path(paths.size(), [&](std::size_t i) -> std::string_view { return paths[i]; });
}
}  // namespace

TEST_CASE("first_repeated_path: distinct paths, in any case, have none", "[duplicate_paths]") {
    CHECK_FALSE(repeated({}));
    CHECK_FALSE(repeated({"P1/A.P1"}));
    CHECK_FALSE(repeated({"P1/A.P1", "P1/A.P10", "P1/B.P1", "GLB/A.P1", "P1/A.P"}));
}

TEST_CASE("first_repeated_path: names the first path that repeats an earlier one", "[duplicate_paths]") {
    CHECK(repeated({"GLB/ACCESS.GLB", "glb/Access.glb"}) == 1u);
    CHECK(repeated({"A", "B", "C", "b", "a"}) == 3u);               // "b" comes before the second "a"
    CHECK(repeated({"X", "P1/x.p1", "P1/X.P1", "P1/X.p1"}) == 2u);  // three of one: the second
    CHECK(repeated({"Z", "Y", "z", "y", "z"}) == 2u);
}

TEST_CASE("first_repeated_path: only ASCII letters fold, as to_upper does", "[duplicate_paths]") {
    CHECK_FALSE(repeated({"P1/\xc3\xa9.P1", "P1/\xc3\x89.P1"}));  // é and É are different names
    CHECK(repeated({"P1/\xc3\xa9.p1", "p1/\xc3\xa9.P1"}) == 1u);
}

TEST_CASE("first_repeated_path: 100,000 paths, one repeated near the end", "[duplicate_paths]") {
    std::vector<std::string> paths;
    for (int i = 0; i < 100000; ++i) paths.push_back("P1/" + std::to_string(i) + ".P1");
    CHECK_FALSE(repeated(paths));
    paths.push_back("p1/42.p1");
    CHECK(repeated(paths) == 100000u);
}
