// common/checks/file_access.cpp: perm.unreadable, perm.no-owner, perm.locked (KB Q237695 step 1).
#include <catch2/catch.hpp>
#include <fstream>

#include "mspo/base/platform.hpp"
#include "mspo/checks/file_access.hpp"
#include "mspo/format/mai.hpp"
#include "pogen_fixture.hpp"

using namespace mspo;
using pogen_fixture::TempPostoffice;
namespace fs = std::filesystem;

namespace {
constexpr std::string_view kSpec = "user ADMIN mail=1\nuser BOB mail=2\n";
}

TEST_CASE("file_access: a fresh postoffice has nothing to report", "[checks][file_access]") {
    TempPostoffice po(kSpec);
    const auto scan = scan_file_access(po.po());
    CHECK(scan.files > 10);
    CHECK(scan.findings.empty());
    CHECK(scan.unreadable == 0);
    CHECK(scan.locked == 0);
    CHECK(scan.no_owner == 0);
}

TEST_CASE("file_access: a lock another holder has is found", "[checks][file_access]") {
    TempPostoffice po(kSpec);
    const fs::path mbg = po.path("MBG/00000001.MBG");
    const platform::Handle h = platform::open_rw_create(mbg, 0644);
    REQUIRE(platform::try_lock_exclusive(h, mbg));
    const auto scan = scan_file_access(po.po());
    REQUIRE(scan.findings.size() == 1);
    CHECK(scan.findings[0].check == "perm.locked");
    CHECK(scan.findings[0].file == "MBG/00000001.MBG");
    CHECK(scan.findings[0].message.find("is locked by another process: " +
                                        std::string(test::kHeldLockText)) != std::string::npos);
    CHECK(scan.locked == 1);
}

TEST_CASE("file_access: an unreadable file is found (not as root)", "[checks][file_access][posix-modes]") {
    TempPostoffice po(kSpec);
    const fs::path glb = po.path("GLB/ACCESS.GLB");
    fs::permissions(glb, fs::perms::none);
    const auto scan = scan_file_access(po.po());
    fs::permissions(glb, fs::perms::owner_read | fs::perms::owner_write);
    if (scan.as_root) {
        CHECK(scan.unreadable == 0);
        return;
    }
    REQUIRE(scan.findings.size() == 1);
    CHECK(scan.findings[0].check == "perm.unreadable");
    CHECK(scan.findings[0].file == "GLB/ACCESS.GLB");
    CHECK(scan.findings[0].message.find("(mode 0000") != std::string::npos);
}

TEST_CASE("file_access: links and folders are not followed, missing folders skipped",
          "[checks][file_access][makes-links]") {
    TempPostoffice po(kSpec);
    fs::create_symlink("/etc/shadow", po.path("KEY/LINK.KEY"));
    REQUIRE(mspo::test::remove_tree(po.path("ATT")));
    const auto scan = scan_file_access(po.po());
    CHECK(scan.findings.empty());
}

TEST_CASE("platform: list_held_locks sees an OFD lock", "[platform][file_access]") {
    TempPostoffice po(kSpec);
    const fs::path key = po.path("KEY/00000001.KEY");
    const platform::Handle h = platform::open_rw_create(key, 0644);
    REQUIRE(platform::try_lock_exclusive(h, key));
    const auto locks = platform::list_held_locks();
    if (!locks) return;  // no /proc/locks here
    const auto info = platform::stat_nofollow(key);
    bool found = false;
    for (const auto& l : *locks)
        if (l.device == info.device && l.inode == info.inode) found = true;
    CHECK(found);
    CHECK(platform::user_exists(info.uid));
}

TEST_CASE("file_access: each message file's counter goes to the memo, read once", "[checks][file_access]") {
    TempPostoffice po("user ADMIN mail=1\nuser BOB mail=2 freed=1\n");
    // Not named as MS Mail names them, or too short: looked at, never memoized.
    const auto bytes = platform::read_file(po.path("MAI/MA1/00000001.MAI"), 1 << 20);
    {
        std::ofstream(po.path("MAI/MA1/0000abc1.mai"), std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        std::ofstream(po.path("MAI/MA2/00000F02.MAI"), std::ios::binary) << "short";
    }
    const Postoffice p = po.po();
    const auto scan = scan_file_access(p);
    CHECK(scan.findings.empty());
    std::size_t mais = 0;
    for (const auto& e : fs::recursive_directory_iterator(po.path("MAI")))
        if (e.is_regular_file()) ++mais;
    const auto& memo = p.mai_refcount_memo();
    CHECK(memo.size() + 2 == mais);
    for (const auto& [n, counter] : memo) CHECK(counter == read_mai_refcount(po.path(mai_relpath(n))));
    CHECK(memo.count(0xABC1) == 0);
    CHECK(memo.count(0xF02) == 0);
}

TEST_CASE("file_access: an unreadable message file is found and not memoized (not as root)",
          "[checks][file_access][posix-modes]") {
    TempPostoffice po(kSpec);
    const fs::path mai = po.path("MAI/MA1/00000001.MAI");
    REQUIRE(fs::exists(mai));
    fs::permissions(mai, fs::perms::none);
    const Postoffice p = po.po();
    const auto scan = scan_file_access(p);
    fs::permissions(mai, fs::perms::owner_read | fs::perms::owner_write);
    if (scan.as_root) return;
    REQUIRE(scan.findings.size() == 1);
    CHECK(scan.findings[0].check == "perm.unreadable");
    CHECK(scan.findings[0].file == "MAI/MA1/00000001.MAI");
    CHECK(scan.findings[0].message.find("(mode 0000") != std::string::npos);
    CHECK(p.mai_refcount_memo().count(1) == 0);
}
