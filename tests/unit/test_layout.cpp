// common/format/layout.cpp: the Postoffice's cached listings.
#include <catch2/catch.hpp>
#include <fstream>

#include "mspo/format/layout.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;

#if !defined(_WIN32)  // links, and two spellings of a name in one folder, are POSIX here

TEST_CASE("layout: a listing knows which names are no regular files", "[layout][makes-links]") {
    test::TempDir t("layout");
    fs::create_directories(t.path / "MBG" / "00000002.MBG");  // a folder where a mailbag belongs
    std::ofstream(t.path / "MBG" / "00000001.MBG") << "x";
    std::ofstream(t.path / "MBG" / "00000003.mbg") << "x";
    fs::create_symlink(t.path / "MBG" / "00000001.MBG", t.path / "MBG" / "00000004.MBG");
    const Postoffice po(t.path);
    const auto& entries = po.list("mbg");
    REQUIRE(entries.size() == 4);
    CHECK(entries.at("00000003.MBG") == "00000003.mbg");
    CHECK(po.not_regular("MBG") == std::set<std::string>{"00000002.MBG", "00000004.MBG"});
    CHECK(po.listed_regular("MBG", "00000001.MBG"));
    CHECK(po.listed_regular("MBG", "00000003.mbg"));
    CHECK_FALSE(po.listed_regular("MBG", "00000003.MBG"));  // not the name on disk
    CHECK_FALSE(po.listed_regular("MBG", "00000002.MBG"));
    CHECK_FALSE(po.listed_regular("MBG", "00000004.MBG"));
    CHECK(po.not_regular("KEY").empty());  // a missing folder
    CHECK(po.list("KEY").empty());
}

TEST_CASE("layout: an exact upper-case name wins over other spellings", "[layout]") {
    test::TempDir t("layout");
    fs::create_directories(t.path / "KEY");
    std::ofstream(t.path / "KEY" / "00000001.key") << "x";
    std::ofstream(t.path / "KEY" / "00000001.KEY") << "x";
    const Postoffice po(t.path);
    CHECK(po.list("KEY").at("00000001.KEY") == "00000001.KEY");
    CHECK(po.find("key/00000001.Key") == t.path / "KEY" / "00000001.KEY");
}

#endif
