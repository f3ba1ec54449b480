#include <catch2/catch.hpp>

#include "access_fixture.hpp"
#include "mspo/format/accounts.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"

using namespace mspo;
using namespace access_fixture;

namespace {

Errc load_error(const fs::path& root) {
    try {
        load_accounts(Postoffice(root));
    } catch (const Error& e) { return e.code(); }
    FAIL("load_accounts did not throw");
    return Errc::io;
}

}  // namespace

TEST_CASE("accounts: a small postoffice is merged record by record", "[accounts]") {
    TempDir dir;
    auto specs = small_set();
    specs[1].full_name = "J\x81rgen M\x94ller";  // CP850 u-umlaut, o-umlaut
    write_postoffice(dir.path, specs);
    const Accounts acc = load_accounts(Postoffice(dir.path));
    CHECK(acc.access.relpath == "GLB/ACCESS.GLB");
    CHECK(acc.access2.records == 3);
    CHECK(acc.access3.size == 3 * 512);
    REQUIRE(acc.accounts.size() == 3);
    const Account& a = acc.accounts[1];
    CHECK(a.index == 1);
    CHECK(a.mailbox == "SMITH");
    CHECK(a.mailbox_utf8 == "SMITH");
    CHECK(a.full_name == "J\x81rgen M\x94ller");
    CHECK(a.full_name_utf8 == "J\xc3\xbcrgen M\xc3\xb6ller");
    CHECK(a.mailbag == std::optional<std::uint32_t>(1));
    CHECK(a.mailbag_text == "00000001");
    CHECK(a.tid == 0x101);
    CHECK_FALSE(a.deleted);
    CHECK(a.access2_offset == 69);
    CHECK(a.access_offset == std::optional<std::uint64_t>(586));
    CHECK(a.access3_offset == std::optional<std::uint64_t>(512));
    CHECK(acc.accounts[2].deleted);
    CHECK(acc.accounts[2].status == 1);
}

TEST_CASE("accounts: file names are matched case-insensitively", "[accounts]") {
    TempDir dir;
    write_postoffice(dir.path, small_set());
    mspo::test::rename_case(dir.path / "GLB", dir.path / "glb");
    mspo::test::rename_case(dir.path / "glb" / "ACCESS2.GLB", dir.path / "glb" / "access2.glb");
    const Accounts acc = load_accounts(Postoffice(dir.path));
    CHECK(acc.access2.relpath == "glb/access2.glb");
    CHECK(acc.accounts.size() == 3);
}

TEST_CASE("accounts: the files are not changed by loading", "[accounts]") {
    TempDir dir;
    write_postoffice(dir.path, small_set());
    const Bytes before = read_bytes(dir.path / "GLB" / "ACCESS.GLB");
    load_accounts(Postoffice(dir.path));
    CHECK(read_bytes(dir.path / "GLB" / "ACCESS.GLB") == before);
}

TEST_CASE("accounts: a missing ACCESS file is an operational error", "[accounts]") {
    TempDir dir;
    write_postoffice(dir.path, small_set());
    fs::remove(dir.path / "GLB" / "ACCESS3.GLB");
    CHECK(load_error(dir.path) == Errc::not_found);
    REQUIRE(mspo::test::remove_tree(dir.path / "GLB"));
    CHECK(load_error(dir.path) == Errc::not_found);
}

TEST_CASE("accounts: links and folders are refused", "[accounts][makes-links]") {
    TempDir dir;
    write_postoffice(dir.path, small_set());
    fs::rename(dir.path / "GLB" / "ACCESS.GLB", dir.path / "real.glb");
    fs::create_symlink(dir.path / "real.glb", dir.path / "GLB" / "ACCESS.GLB");
    CHECK(load_error(dir.path) == Errc::unsafe_path);
    fs::remove(dir.path / "GLB" / "ACCESS.GLB");
    fs::create_directory(dir.path / "GLB" / "ACCESS.GLB");
    CHECK(load_error(dir.path) == Errc::unsafe_path);
}

TEST_CASE("accounts: a truncated ACCESS2.GLB lists its whole records", "[accounts]") {
    TempDir dir;
    write_postoffice(dir.path, small_set());
    const fs::path a2 = dir.path / "GLB" / "ACCESS2.GLB";
    fs::resize_file(a2, 2 * 69 + 30);
    const Accounts acc = load_accounts(Postoffice(dir.path));
    CHECK(acc.access2.size == 168);
    CHECK(acc.access2.records == 2);
    CHECK(acc.accounts.size() == 2);
}

TEST_CASE("accounts: a short ACCESS.GLB leaves the last full names empty", "[accounts]") {
    TempDir dir;
    write_postoffice(dir.path, small_set());
    fs::resize_file(dir.path / "GLB" / "ACCESS.GLB", 586);
    fs::resize_file(dir.path / "GLB" / "ACCESS3.GLB", 512 * 2);
    const Accounts acc = load_accounts(Postoffice(dir.path));
    REQUIRE(acc.accounts.size() == 3);
    CHECK(acc.accounts[0].full_name == "Administrator");
    CHECK(acc.accounts[1].full_name.empty());
    CHECK_FALSE(acc.accounts[1].access_offset);
    CHECK(acc.accounts[1].access3_offset);
    CHECK_FALSE(acc.accounts[2].access3_offset);
}

TEST_CASE("accounts: an absurd size is refused before reading", "[accounts]") {
    TempDir dir;
    write_postoffice(dir.path, small_set());
    fs::resize_file(dir.path / "GLB" / "ACCESS2.GLB", (kMaxAccounts + 1) * 69);  // sparse
    CHECK(load_error(dir.path) == Errc::size_rule);
}

TEST_CASE("accounts: empty tables give no accounts", "[accounts]") {
    TempDir dir;
    write_postoffice(dir.path, {});
    const Accounts acc = load_accounts(Postoffice(dir.path));
    CHECK(acc.accounts.empty());
    CHECK(acc.access.size == 0);
}

TEST_CASE("accounts: an interrupt stops the load", "[accounts]") {
    TempDir dir;
    write_postoffice(dir.path, small_set());
    request_interrupt();
    const Errc code = load_error(dir.path);
    clear_interrupt();
    CHECK(code == Errc::interrupted);
}

TEST_CASE("accounts: 50000 accounts load in file order", "[accounts]") {
    TempDir dir;
    std::vector<Spec> specs;
    specs.reserve(50000);
    for (std::uint32_t i = 0; i < 50000; ++i)
        specs.push_back({"U" + std::to_string(i), "User " + std::to_string(i), i, i % 7 == 0, i});
    write_postoffice(dir.path, specs, false);
    const Accounts acc = load_accounts(Postoffice(dir.path));
    REQUIRE(acc.accounts.size() == 50000);
    CHECK(acc.accounts[49999].mailbox == "U49999");
    CHECK(acc.accounts[49999].full_name == "User 49999");
    CHECK(acc.accounts[49999].access_offset == std::optional<std::uint64_t>(49999ull * 586));
    CHECK(acc.accounts[49000].deleted);
}
