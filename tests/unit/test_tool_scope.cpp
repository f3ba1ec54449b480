#include <catch2/catch.hpp>
#include <set>

#include "mspo/safety/tool_scope.hpp"

using namespace mspo;

TEST_CASE("tool_scope: each tool may change its own folders only", "[tool_scope]") {
    CHECK(in_tool_scope("p1clean", "", "P1/0000002A.P1"));
    CHECK(in_tool_scope("p1clean", "", "p1/populate.msm"));  // names match case-insensitively
    CHECK_FALSE(in_tool_scope("p1clean", "", "GLB/ACCESS2.GLB"));
    CHECK_FALSE(in_tool_scope("p1clean", "", "P1"));     // the folder name alone is no file in it
    CHECK_FALSE(in_tool_scope("p1clean", "", "P10/X"));  // a prefix is not the folder
    CHECK_FALSE(in_tool_scope("p1clean", "", "MBG/P1/X"));
    CHECK(in_tool_scope("palfix", "", "GLB/ACCESS2.GLB"));
    CHECK(in_tool_scope("palfix", "", "NME/ADMIN.NME"));
    CHECK_FALSE(in_tool_scope("palfix", "", "MBG/0000002A.MBG"));
    CHECK(in_tool_scope("mbgsplit", "", "MAI/MA3/00000013.MAI"));  // below a folder too
    CHECK(in_tool_scope("mbgsplit", "", "GLB/CONTROL.GLB"));
    CHECK_FALSE(in_tool_scope("mbgsplit", "", "GLB/ACCESS.GLB"));
    CHECK(in_tool_scope("pocheck", "", "MAI/MA3/00000013.MAI"));  // pocheck --fix's own repairs
    CHECK(in_tool_scope("pocheck", "", "GLB/CONTROL.GLB"));
    CHECK_FALSE(in_tool_scope("pocheck", "", "MBG/0000002A.MBG"));  // mbgsplit's, under its own name
    CHECK_FALSE(in_tool_scope("pocheck", "", "GLB/ACCESS2.GLB"));
}

TEST_CASE("tool_scope: unknown tools may change nothing, porestore what it undoes", "[tool_scope]") {
    CHECK_FALSE(in_tool_scope("mspo", "", "P1/X"));
    CHECK_FALSE(in_tool_scope("", "", "P1/X"));
    CHECK_FALSE(in_tool_scope("P1CLEAN", "", "P1/X"));  // tool names are exact
    CHECK(in_tool_scope("porestore", "p1clean", "P1/X"));
    CHECK_FALSE(in_tool_scope("porestore", "p1clean", "GLB/X"));
    CHECK_FALSE(in_tool_scope("porestore", "", "P1/X"));
    CHECK_FALSE(in_tool_scope("porestore", "porestore", "P1/X"));
    CHECK(in_tool_scope("p1clean", "palfix", "P1/X"));  // only porestore's snapshots use "undoes"
    CHECK_FALSE(in_tool_scope("p1clean", "palfix", "GLB/X"));
    CHECK(scope_tool("porestore", "mbgsplit") == "mbgsplit");
    CHECK(describe_tool_scope("p1clean", "") == "P1");
    CHECK(describe_tool_scope("mbgsplit", "") == "MBG, KEY, MAI, GLB/CONTROL.GLB");
    CHECK(describe_tool_scope("nobody", "") == "nothing");
}

TEST_CASE("tool_scope: one row per tool, upper-case relative paths", "[tool_scope]") {
    std::set<std::string_view> tools;
    for (const auto& row : tool_scopes()) {
        CHECK(tools.insert(row.tool).second);
        CHECK(find_tool_scope(row.tool) == &row);
        CHECK(row.tool != "porestore");
        for (auto f : row.folders) {
            CHECK_FALSE(f.empty());
            CHECK(f.find("..") == std::string_view::npos);
            for (char c : f) CHECK_FALSE((c >= 'a' && c <= 'z'));
        }
        for (auto f : row.files)
            for (char c : f) CHECK_FALSE((c >= 'a' && c <= 'z'));
    }
    CHECK(tools.count("p1clean"));
    CHECK(find_tool_scope("nobody") == nullptr);
}
