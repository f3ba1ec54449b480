#include <catch2/catch.hpp>

#include "pogen_fixture.hpp"

using namespace mspo;
using pogen_fixture::TempPostoffice;
namespace fs = std::filesystem;

namespace {
constexpr std::string_view kSpec = R"(
user ADMIN mail=2 pal=1
user BOB
group G ADMIN BOB
external NET/PO users=1
)";

void grow(const fs::path& p, std::size_t n) {
    auto b = pogen_fixture::read_bytes(p);
    b.resize(b.size() + n, 0x41);
    pogen_fixture::write_bytes(p, b);
}
}  // namespace

TEST_CASE("size_check: every file of an undamaged postoffice keeps its rule", "[checks][size]") {
    TempPostoffice po(kSpec);
    CHECK(check_sizes(po.po()).empty());
}

TEST_CASE("size_check: each file type in its folder", "[checks][size]") {
    TempPostoffice po(kSpec);
    grow(po.path("NME/00000000.NME"), 1);  // PAL
    grow(po.path("GRP/ADMIN.GRP"), 3);
    grow(po.path("MEM/00010002.MEM"), 2);
    grow(po.path("USR/00000003.USR"), 1);
    grow(po.path("XTN/00000002.XTN"), 1);
    grow(po.path("KEY/00000001.KEY"), 1);
    grow(po.path("MBG/00000000.MBG"), 5);
    grow(po.path("GLB/NETPO.GLB"), 1);
    const auto f = check_sizes(po.po());
    std::set<std::string> files;
    for (const auto& x : f) {
        CHECK(x.check == "size.rule");
        files.insert(x.file);
    }
    CHECK(files == std::set<std::string>{"GLB/NETPO.GLB", "NME/00000000.NME", "GRP/ADMIN.GRP",
                                         "MEM/00010002.MEM", "USR/00000003.USR", "XTN/00000002.XTN",
                                         "KEY/00000001.KEY", "MBG/00000000.MBG"});
    for (const auto& x : f)
        if (x.file == "MBG/00000000.MBG") {
            CHECK(x.record == 2u);  // the partial record after two whole ones
            CHECK(x.offset == 232u);
            CHECK(x.message.find("MBG size 237 is not a multiple of 116") == 0);
        }
}

TEST_CASE("size_check: fixed-size files, short and long", "[checks][size]") {
    TempPostoffice po(kSpec);
    pogen_fixture::write_bytes(po.path("GLB/CONTROL.GLB"), Bytes(7));
    grow(po.path("GLB/MASTER.GLB"), 4);
    const auto f = check_sizes(po.po());
    REQUIRE(f.size() == 2);
    CHECK(f[0].file == "GLB/CONTROL.GLB");
    CHECK(f[0].offset == 7u);
    CHECK_FALSE(f[0].record);
    CHECK(f[1].file == "GLB/MASTER.GLB");
    CHECK(f[1].offset == 176u);
}

TEST_CASE("size_check: a MEM file over 2000 bytes", "[checks][size]") {
    TempPostoffice po(kSpec);
    pogen_fixture::write_bytes(po.path("MEM/0000FFFF.MEM"), Bytes(2004));
    const auto f = check_sizes(po.po());
    REQUIRE(f.size() == 1);
    CHECK(f[0].message.find("over the maximum of 2000") != std::string::npos);
}

TEST_CASE("size_check: what it leaves alone", "[checks][size]") {
    TempPostoffice po(kSpec);
    grow(po.path("GLB/ACCESS2.GLB"), 1);                                  // check_access_sizes' job
    pogen_fixture::write_bytes(po.path("GLB/C850SORT.GLB"), Bytes(333));  // no size rule known
    pogen_fixture::write_bytes(po.path("NME/README.TXT"), Bytes(1));      // not an .NME
    fs::create_directory(po.path("KEY/ODD.KEY"));                         // not a file
    CHECK(check_sizes(po.po()).empty());
}

TEST_CASE("size_check: names match case-insensitively", "[checks][size]") {
    TempPostoffice po(kSpec);
    mspo::test::rename_case(po.path("MBG/00000000.MBG"), po.path("MBG/00000000.mbg"));
    grow(po.path("MBG/00000000.mbg"), 1);
    const auto f = check_sizes(po.po());
    REQUIRE(f.size() == 1);
    CHECK(f[0].file == "MBG/00000000.mbg");
}

TEST_CASE("size_check: a file's place holding a folder, FIFO or link",
          "[checks][size][makes-links][makes-fifos]") {
    for (const auto& kind : pogen_fixture::not_regular_kinds()) {
        for (const std::string rel :
             {"MBG/00000000.MBG", "KEY/00000001.KEY", "NME/00000000.NME", "GLB/FLAG.GLB"}) {
            DYNAMIC_SECTION(rel << " " << kind) {
                TempPostoffice po(kSpec);
                pogen_fixture::make_not_regular(po.path(rel), kind);
                const auto f = check_sizes(po.po());
                REQUIRE(f.size() == 1);
                CHECK(f[0].check == "layout.not-regular");
                CHECK(f[0].file == rel);
            }
        }
    }
}

TEST_CASE("size_check: a core file that is not regular is glb.missing's", "[checks][size][makes-fifos]") {
    TempPostoffice po(kSpec);
    pogen_fixture::make_not_regular(po.path("GLB/MASTER.GLB"), "fifo");
    pogen_fixture::make_not_regular(po.path("NME/ADMINSHD.NME"), "folder");
    CHECK(check_sizes(po.po()).empty());
    const auto ids = pogen_fixture::ids(run_checks(po.po()));
    CHECK(ids.count("glb.missing") == 1);
    CHECK(ids.count("layout.not-regular") == 0);
}
