#include <catch2/catch.hpp>

#include "pogen_fixture.hpp"

using namespace mspo;
using pogen_fixture::TempPostoffice;
namespace fs = std::filesystem;

namespace {
constexpr std::string_view kSpec = "user ADMIN mail=1\n";
}

TEST_CASE("layout_check: a complete postoffice passes", "[checks][layout]") {
    TempPostoffice po(kSpec);
    CHECK(check_layout(po.po()).empty());
}

TEST_CASE("layout_check: a missing folder is reported once, with its subfolders", "[checks][layout]") {
    TempPostoffice po(kSpec);
    REQUIRE(mspo::test::remove_tree(po.path("MAI")));
    REQUIRE(mspo::test::remove_tree(po.path("ATT/AT3")));
    const auto f = check_layout(po.po());
    REQUIRE(f.size() == 2);
    CHECK(f[0].check == "layout.missing-dir");
    CHECK(f[0].file == "MAI");
    CHECK(f[0].message == "folder MAI is missing (with its 16 subfolders)");
    CHECK(f[1].file == "ATT/AT3");
}

TEST_CASE("layout_check: a file or link where a folder should be", "[checks][layout][makes-links]") {
    TempPostoffice po(kSpec);
    REQUIRE(mspo::test::remove_tree(po.path("HLP")));
    pogen_fixture::write_bytes(po.path("HLP"), Bytes{1, 2, 3});
    REQUIRE(mspo::test::remove_tree(po.path("CAL")));
    fs::create_directory_symlink(po.path("LOG"), po.path("CAL"));
    const auto f = check_layout(po.po());
    REQUIRE(f.size() == 2);
    CHECK(f[0].check == "layout.not-dir");
    CHECK(f[0].file == "CAL");
    CHECK(f[0].message == "CAL is a symbolic link, not a folder");
    CHECK(f[1].file == "HLP");
    CHECK(f[1].message == "HLP is a file, not a folder");
}

TEST_CASE("layout_check: folder names match case-insensitively", "[checks][layout]") {
    TempPostoffice po(kSpec);
    mspo::test::rename_case(po.path("GLB"), po.path("glb"));
    mspo::test::rename_case(po.path("MAI/MA7"), po.path("MAI/ma7"));
    CHECK(check_layout(po.po()).empty());
}

TEST_CASE("layout_check: core files", "[checks][layout]") {
    TempPostoffice po(kSpec);
    SECTION("RNETSEM.GLB may be absent, SRVCONF.GLB need not exist") {
        fs::remove(po.path("GLB/RNETSEM.GLB"));
        CHECK(check_layout(po.po()).empty());
    }
    SECTION("a missing core file in each folder") {
        fs::remove(po.path("GLB/TID.GLB"));
        fs::remove(po.path("NME/ADMINSHD.NME"));
        fs::remove(po.path("GRP/ADMIN.GRP"));
        const auto f = check_layout(po.po());
        REQUIRE(f.size() == 3);
        CHECK(f[0].check == "glb.missing");
        CHECK(f[0].file == "GLB/TID.GLB");
        CHECK(f[0].message == "core file GLB/TID.GLB is missing");
        CHECK(f[1].file == "NME/ADMINSHD.NME");
        CHECK(f[2].file == "GRP/ADMIN.GRP");
    }
    SECTION("a core file that is a folder") {
        fs::remove(po.path("GLB/MASTER.GLB"));
        fs::create_directory(po.path("GLB/MASTER.GLB"));
        const auto f = check_layout(po.po());
        REQUIRE(f.size() == 1);
        CHECK(f[0].message == "core file GLB/MASTER.GLB is not a regular file");
    }
    SECTION("a missing GLB folder is one finding, not fifteen") {
        REQUIRE(mspo::test::remove_tree(po.path("GLB")));
        const auto f = check_layout(po.po());
        REQUIRE(f.size() == 1);
        CHECK(f[0].check == "layout.missing-dir");
    }
    SECTION("lower-case names are found") {
        mspo::test::rename_case(po.path("GLB/CONTROL.GLB"), po.path("GLB/control.glb"));
        CHECK(check_layout(po.po()).empty());
    }
}
