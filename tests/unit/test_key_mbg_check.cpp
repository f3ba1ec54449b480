#include <catch2/catch.hpp>

#include "pogen_fixture.hpp"

using namespace mspo;
using pogen_fixture::TempPostoffice;
namespace fs = std::filesystem;

namespace {
constexpr std::string_view kSpec = "user ADMIN mail=1\nuser BOB\nexternal NET/PO users=1\n";
}

TEST_CASE("key_mbg_check: every KEY has its MBG and back", "[checks][key_mbg]") {
    TempPostoffice po(kSpec);
    CHECK(check_key_mbg_pairs(po.po()).empty());
}

TEST_CASE("key_mbg_check: orphans both ways, system mailbags included", "[checks][key_mbg]") {
    TempPostoffice po(kSpec);
    fs::remove(po.path("MBG/00000001.MBG"));
    fs::remove(po.path("KEY/INQUEUE3.KEY"));
    pogen_fixture::write_bytes(po.path("KEY/SYSTEM.KEY"), Bytes(560));
    const auto f = check_key_mbg_pairs(po.po());
    REQUIRE(f.size() == 3);
    CHECK(f[0].check == "key.orphan");
    CHECK(f[0].file == "KEY/00000001.KEY");
    CHECK(f[0].message == "KEY/00000001.KEY has no MBG/00000001.MBG");
    CHECK(f[1].check == "key.orphan");
    CHECK(f[1].file == "KEY/SYSTEM.KEY");
    CHECK(f[2].check == "mbg.orphan");
    CHECK(f[2].file == "MBG/INQUEUE3.MBG");
}

TEST_CASE("key_mbg_check: names pair case-insensitively", "[checks][key_mbg]") {
    TempPostoffice po(kSpec);
    mspo::test::rename_case(po.path("KEY/00000000.KEY"), po.path("KEY/00000000.key"));
    CHECK(check_key_mbg_pairs(po.po()).empty());
}

TEST_CASE("key_mbg_check: a missing folder is left to layout", "[checks][key_mbg]") {
    TempPostoffice po(kSpec);
    REQUIRE(mspo::test::remove_tree(po.path("MBG")));
    CHECK(check_key_mbg_pairs(po.po()).empty());
}

TEST_CASE("key_mbg_check: other files are ignored", "[checks][key_mbg]") {
    TempPostoffice po(kSpec);
    pogen_fixture::write_bytes(po.path("KEY/NOTES.TXT"), Bytes(3));
    fs::create_directory(po.path("MBG/00000099.MBG"));  // a folder, not a mailbag
    // No orphan: a folder is not a mailbag. But it stands where a mailbag
    // belongs, so it is reported as such (issue 8 item 19), and only that.
    const auto f = check_key_mbg_pairs(po.po());
    CHECK(pogen_fixture::ids(f) == std::set<std::string>{"layout.not-regular"});
    CHECK(pogen_fixture::only(f, "mbg.orphan").empty());
    CHECK(f.size() == 1);
    // A folder with a name no postoffice file has is left alone.
    TempPostoffice other(kSpec);
    fs::create_directory(other.path("MBG/SPARE.MBG"));
    CHECK(check_key_mbg_pairs(other.po()).empty());
}

TEST_CASE("key_mbg_check: a KEY or MBG that is not a regular file",
          "[checks][key_mbg][makes-links][makes-fifos]") {
    for (const auto& kind : pogen_fixture::not_regular_kinds()) {
        for (const std::string rel : {"MBG/00000001.MBG", "KEY/00000001.KEY", "KEY/INQUEUE3.KEY"}) {
            DYNAMIC_SECTION(rel << " " << kind) {
                TempPostoffice po(kSpec);
                pogen_fixture::make_not_regular(po.path(rel), kind);
                const auto f = check_key_mbg_pairs(po.po());
                REQUIRE(f.size() == 1);  // its partner is no orphan: the entry is there
                CHECK(f[0].check == "layout.not-regular");
                CHECK(f[0].file == rel);
                CHECK(f[0].message.find(rel + " is ") != std::string::npos);
            }
        }
    }
}
