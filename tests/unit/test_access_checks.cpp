#include <catch2/catch.hpp>

#include "access_fixture.hpp"
#include "mspo/checks/access_checks.hpp"
#include "pogen_fixture.hpp"

using namespace mspo;
using namespace access_fixture;

namespace {

Findings run_checks(const fs::path& root) {
    Postoffice po(root);
    return check_accounts(po, load_accounts(po));
}

}  // namespace

TEST_CASE("access_checks: a clean postoffice has no findings", "[access_checks]") {
    TempDir dir;
    write_postoffice(dir.path, small_set());
    CHECK(run_checks(dir.path).empty());
}

TEST_CASE("access_checks: size.rule names the partial record", "[access_checks]") {
    TempDir dir;
    write_postoffice(dir.path, small_set());
    fs::resize_file(dir.path / "GLB" / "ACCESS2.GLB", 3 * 69 + 10);
    const Findings f = check_access_sizes(load_accounts(Postoffice(dir.path)));
    REQUIRE(f.size() == 1);
    CHECK(f[0].check == "size.rule");
    CHECK(f[0].severity == Severity::error);
    CHECK(f[0].file == "GLB/ACCESS2.GLB");
    CHECK(f[0].record == std::optional<std::uint64_t>(3));
    CHECK(f[0].offset == std::optional<std::uint64_t>(207));
    CHECK(f[0].message == "ACCESS2.GLB size 217 is not a multiple of 69 (3 records and 10 bytes over)");
}

TEST_CASE("access_checks: access.count-mismatch names the odd file", "[access_checks]") {
    TempDir dir;
    write_postoffice(dir.path, small_set());
    fs::resize_file(dir.path / "GLB" / "ACCESS3.GLB", 2 * 512);
    Findings f = check_access_counts(load_accounts(Postoffice(dir.path)));
    REQUIRE(f.size() == 1);
    CHECK(f[0].check == "access.count-mismatch");
    CHECK(f[0].file == "GLB/ACCESS3.GLB");
    CHECK(f[0].record == std::optional<std::uint64_t>(2));
    CHECK(f[0].offset == std::optional<std::uint64_t>(1024));
    CHECK(f[0].message ==
          "record counts differ (ACCESS.GLB 3, ACCESS2.GLB 3, ACCESS3.GLB 2): ACCESS3.GLB records 2 onwards "
          "are "
          "missing here");

    fs::resize_file(dir.path / "GLB" / "ACCESS.GLB", 586);  // all three differ: ACCESS2.GLB is the reference
    f = check_access_counts(load_accounts(Postoffice(dir.path)));
    REQUIRE(f.size() == 2);
    CHECK(f[0].file == "GLB/ACCESS.GLB");
    CHECK(f[1].file == "GLB/ACCESS3.GLB");

    TempDir extra;
    auto specs = small_set();
    write_postoffice(extra.path, specs);
    specs.push_back({"NEW", "New", 3});
    write_postoffice(extra.path / "x", specs);
    // (Read and written, not fs::copy_file: with mingw-w64's libstdc++ its
    // overwrite_existing fails with "File exists".)
    write_bytes(extra.path / "GLB" / "ACCESS2.GLB", read_bytes(extra.path / "x" / "GLB" / "ACCESS2.GLB"));
    f = check_access_counts(load_accounts(Postoffice(extra.path)));
    REQUIRE(f.size() == 1);
    CHECK(f[0].file == "GLB/ACCESS2.GLB");
    CHECK(f[0].record == std::optional<std::uint64_t>(3));
    CHECK(f[0].message.find("records 3 onwards are extra here") != std::string::npos);
}

TEST_CASE("access_checks: access.bad-chars gives the offset of the first bad byte", "[access_checks]") {
    TempDir dir;
    auto specs = small_set();
    specs[1].mailbox = std::string("SM\x01TH");
    specs[2].full_name = "Old \xB0 User";  // a shading block: what damage looks like
    write_postoffice(dir.path, specs);
    const Findings f = check_access_chars(load_accounts(Postoffice(dir.path)));
    REQUIRE(f.size() == 2);
    CHECK(f[0].check == "access.bad-chars");
    CHECK(f[0].file == "GLB/ACCESS2.GLB");
    CHECK(f[0].record == std::optional<std::uint64_t>(1));
    CHECK(f[0].offset == std::optional<std::uint64_t>(69 + 2));
    CHECK(f[0].message ==
          "mailbox name \"SM\xEF\xBF\xBDTH\" has byte 0x01 at character 3, not allowed in a mailbox name");
    CHECK(f[1].file == "GLB/ACCESS.GLB");
    CHECK(f[1].record == std::optional<std::uint64_t>(2));
    CHECK(f[1].offset == std::optional<std::uint64_t>(2 * 586 + 4));
}

TEST_CASE("access_checks: a name without its NUL, and an empty active name", "[access_checks]") {
    TempDir dir;
    write_postoffice(dir.path, small_set());
    const fs::path a2 = dir.path / "GLB" / "ACCESS2.GLB";
    for (std::uint64_t i = 0; i < 11; ++i) poke(a2, 69 + i, 'A');  // SMITH: 11 letters, no NUL
    poke(a2, 0, 0);                                                // ADMIN: empty name
    poke(a2, 2 * 69, 0);                                           // OLD (deleted): empty is fine
    const Findings f = check_access_chars(load_accounts(Postoffice(dir.path)));
    REQUIRE(f.size() == 2);
    CHECK(f[0].record == std::optional<std::uint64_t>(0));
    CHECK(f[0].message == "mailbox name is empty");
    CHECK(f[1].record == std::optional<std::uint64_t>(1));
    CHECK(f[1].offset == std::optional<std::uint64_t>(69 + 10));
    CHECK(f[1].message.find("no terminating NUL") != std::string::npos);
}

TEST_CASE("access_checks: access.bad-mailbag", "[access_checks]") {
    TempDir dir;
    write_postoffice(dir.path, small_set());
    poke(dir.path / "GLB" / "ACCESS2.GLB", 69 + 11 + 3, 'G');
    const Findings f = check_access_mailbags(load_accounts(Postoffice(dir.path)));
    REQUIRE(f.size() == 1);
    CHECK(f[0].check == "access.bad-mailbag");
    CHECK(f[0].offset == std::optional<std::uint64_t>(69 + 11));
    CHECK(f[0].message == "mailbag field \"000G0001\" of record 1 (\"SMITH\") is not 8 hex digits");
}

TEST_CASE("access_checks: filenum.duplicate, the KB Q117738 case", "[access_checks]") {
    TempDir dir;
    std::vector<Spec> specs = {{"Admin", "", 0},    {"User1", "", 1},       {"User2", "", 2},
                               {"User3", "", 3},    {"User4", "", 4, true}, {"NewUser1", "", 0},
                               {"NewUser2", "", 1}, {"NewUser3", "", 2},    {"NewUser4", "", 3},
                               {"NewUser5", "", 4}};
    write_postoffice(dir.path, specs);
    const Findings f = check_filenum_duplicates(load_accounts(Postoffice(dir.path)));
    REQUIRE(f.size() == 5);
    CHECK(f[0].check == "filenum.duplicate");
    CHECK(f[0].record == std::optional<std::uint64_t>(5));
    CHECK(f[0].offset == std::optional<std::uint64_t>(5 * 69 + 11));
    CHECK(f[0].message ==
          "mailbag number 00000000 of record 5 (\"NewUser1\") is also used by record 0 (\"Admin\")");
    CHECK(f[4].message.find("also used by record 4 (\"User4\", deleted)") != std::string::npos);
}

TEST_CASE("access_checks: missing MBG and KEY of active accounts", "[access_checks]") {
    TempDir dir;
    write_postoffice(dir.path, small_set());
    fs::remove(dir.path / "MBG" / "00000001.MBG");
    mspo::test::rename_case(dir.path / "KEY" / "00000000.KEY",
                            dir.path / "KEY" / "00000000.key");  // still found
    fs::remove(dir.path / "KEY" / "00000001.KEY");
    Postoffice po(dir.path);
    const Findings f = check_account_files(po, load_accounts(po));
    REQUIRE(f.size() == 2);
    CHECK(f[0].check == "access.missing-mbg");
    CHECK(f[0].file == "GLB/ACCESS2.GLB");
    CHECK(f[0].record == std::optional<std::uint64_t>(1));
    CHECK(f[0].message == "mailbag file MBG/00000001.MBG of record 1 (\"SMITH\") is missing");
    CHECK(f[1].check == "access.missing-key");
}

TEST_CASE("access_checks: check_accounts runs every check in order", "[access_checks]") {
    TempDir dir;
    auto specs = small_set();
    specs[2].mailbag = 1;
    write_postoffice(dir.path, specs, false);
    fs::resize_file(dir.path / "GLB" / "ACCESS3.GLB", 3 * 512 + 1);
    const Findings f = run_checks(dir.path);
    REQUIRE(f.size() == 6);
    CHECK(f[0].check == "size.rule");
    CHECK(f[1].check == "filenum.duplicate");
    CHECK(f[2].check == "access.missing-mbg");
    CHECK(f[5].check == "access.missing-key");
}

TEST_CASE("access_checks: an MBG or KEY that is not a regular file is named, never followed",
          "[access_checks][makes-links][makes-fifos]") {
    // issue 8 item 19: a folder, a FIFO, a link out of the postoffice or a
    // dangling link where an account's file belongs is layout.not-regular.
    for (const auto& kind : pogen_fixture::not_regular_kinds()) {
        for (const std::string dir : {"MBG", "KEY"}) {
            DYNAMIC_SECTION(dir << " " << kind) {
                TempDir d;
                write_postoffice(d.path, small_set());
                const std::string rel = dir + "/00000001." + dir;
                pogen_fixture::make_not_regular(d.path / rel, kind);
                Postoffice po(d.path);
                const Findings f = check_account_files(po, load_accounts(po));
                REQUIRE(f.size() == 1);
                CHECK(f[0].check == "layout.not-regular");
                CHECK(f[0].severity == Severity::error);
                CHECK(f[0].file == rel);
                CHECK_FALSE(f[0].record);
                CHECK(f[0].message.find(rel + " of record 1 (\"SMITH\") is ") != std::string::npos);
                CHECK(f[0].message.find("not a regular file; it is not followed or read") !=
                      std::string::npos);
                // The whole account check (what listuser runs) reports it too.
                CHECK(
                    pogen_fixture::only(check_accounts(po, load_accounts(po)), "layout.not-regular").size() ==
                    1);
            }
        }
    }
}

TEST_CASE("access_checks: the kind of entry is named", "[access_checks][makes-links][makes-fifos]") {
    const std::vector<std::pair<std::string, std::string>> kinds = {{"folder", "is a folder"},
                                                                    {"fifo", "is a FIFO, socket or device"},
                                                                    {"symlink-out", "is a symbolic link"},
                                                                    {"dangling", "is a symbolic link"}};
    for (const auto& [kind, text] : kinds) {
        TempDir d;
        write_postoffice(d.path, small_set());
        pogen_fixture::make_not_regular(d.path / "MBG" / "00000000.MBG", kind);
        Postoffice po(d.path);
        const Findings f = check_account_files(po, load_accounts(po));
        REQUIRE(f.size() == 1);
        INFO(kind);
        CHECK(f[0].message.find(text) != std::string::npos);
    }
}
