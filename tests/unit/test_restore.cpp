#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "mspo/safety/change_plan.hpp"
#include "mspo/base/error.hpp"
#include "mspo/safety/restore.hpp"
#include "mspo/safety/snapshot.hpp"
#include "mspo/base/crc32.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using mspo::test::file_tree;
using mspo::test::FileTree;
using mspo::test::read_text;
using mspo::test::to_bytes;
using mspo::test::write_text;

namespace {
/// A present file's state (mode and owner unset).
FileState present(std::uint64_t size, std::int64_t mtime_ns, std::uint32_t crc,
                  std::optional<std::uint32_t> mode = std::nullopt) {
    FileState s;
    s.present = true;
    s.size = size;
    s.mtime_ns = mtime_ns;
    s.crc32 = crc;
    s.mode = mode;
    return s;
}
/// A postoffice PO with GLB/CONTROL.GLB, one mailbag and an empty P1.
struct TempDir : mspo::test::TempPoDir {
    TempDir() : TempPoDir("restore", {"GLB", "MBG", "P1"}) {
        write_text(po() / "GLB/CONTROL.GLB", "original control");
        write_text(po() / "MBG/0000002A.MBG", "original mailbag");
    }
};
/// Runs a sample fixer; returns its snapshot.
fs::path fix(const TempDir& t) {
    ChangePlan plan;
    plan.actions.push_back(
        {FileAction::Kind::replace, "GLB/CONTROL.GLB", to_bytes("fixed control"), std::nullopt});
    plan.actions.push_back({FileAction::Kind::remove, "MBG/0000002A.MBG", {}, std::nullopt});
    plan.actions.push_back(
        {FileAction::Kind::create, "MBG/0000002B.MBG", to_bytes("new mailbag"), std::nullopt});
    ApplyOptions o;
    o.tool = "mbgsplit";  // a tool whose folders (MBG, GLB/CONTROL.GLB) hold every file changed
    return *apply_plan(Postoffice(t.po()), plan, o).snapshot;
}
ApplyOptions restore_opts() {
    ApplyOptions o;
    o.tool = "porestore";
    return o;
}
}  // namespace

TEST_CASE("restore: puts back bytes and mtimes, the undo snapshot redoes the fix", "[restore]") {
    TempDir t;
    const FileTree original = file_tree(t.po());
    auto snap = fix(t);
    const FileTree fixed = file_tree(t.po());
    RestorePlan plan;
    auto r = restore_snapshot(Postoffice(t.po()), snap, restore_opts(), &plan);
    CHECK(plan.conflicts.empty());
    CHECK(plan.changes.actions.size() == 3);
    CHECK(file_tree(t.po()) == original);
    REQUIRE(r.snapshot);
    CHECK(r.snapshot->filename().string().find("-porestore-") != std::string::npos);
    // Restoring the restore's own snapshot gives back the fixed state (contents).
    restore_snapshot(Postoffice(t.po()), *r.snapshot, restore_opts());
    FileTree again = file_tree(t.po());
    REQUIRE(again.size() == fixed.size());
    for (const auto& [p, v] : fixed) CHECK(again.at(p) == v);
}

TEST_CASE("restore: a second restore finds nothing to do", "[restore]") {
    TempDir t;
    auto snap = fix(t);
    restore_snapshot(Postoffice(t.po()), snap, restore_opts());
    RestorePlan plan;
    auto r = restore_snapshot(Postoffice(t.po()), snap, restore_opts(), &plan);
    CHECK(plan.changes.actions.empty());
    CHECK_FALSE(r.snapshot);
    for (const auto& i : plan.items) CHECK(i.current == RestoreItem::Current::as_before);
}

TEST_CASE("restore: a file changed after the fix is refused unless forced", "[restore]") {
    TempDir t;
    const FileTree original = file_tree(t.po());
    auto snap = fix(t);
    write_text(t.po() / "GLB/CONTROL.GLB", "edited by someone later");
    try {
        restore_snapshot(Postoffice(t.po()), snap, restore_opts());
        FAIL("not refused");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::changed);
        CHECK(std::string(e.what()).find("GLB/CONTROL.GLB") != std::string::npos);
        CHECK(std::string(e.what()).find("--force") != std::string::npos);
    }
    CHECK(read_text(t.po() / "GLB/CONTROL.GLB") == "edited by someone later");
    CHECK(fs::exists(t.po() / "MBG/0000002B.MBG"));  // nothing else was restored either
    ApplyOptions force = restore_opts();
    force.force = true;
    restore_snapshot(Postoffice(t.po()), snap, force);
    CHECK(file_tree(t.po()) == original);
}

TEST_CASE("restore: a damaged snapshot is refused and nothing changes", "[restore]") {
    TempDir t;
    auto snap = fix(t);
    const FileTree fixed = file_tree(t.po());
    Bytes data = platform::read_file(snap, 1 << 30);
    fs::path bad = t.path / "bad.tar.gz";
    for (int variant = 0; variant < 2; ++variant) {
        Bytes d = data;
        if (variant == 0)
            d.resize(d.size() / 2);
        else
            d[d.size() / 2] ^= 0x10;
        std::ofstream(bad, std::ios::binary)
            .write(reinterpret_cast<const char*>(d.data()), static_cast<std::streamsize>(d.size()));
        try {
            restore_snapshot(Postoffice(t.po()), bad, restore_opts());
            FAIL("damaged snapshot accepted");
        } catch (const Error& e) { CHECK(e.code() == Errc::snapshot); }
        CHECK(file_tree(t.po()) == fixed);
    }
}

TEST_CASE("restore: dry run plans without writing", "[restore]") {
    TempDir t;
    auto snap = fix(t);
    const FileTree fixed = file_tree(t.po());
    auto count = std::distance(fs::directory_iterator(t.snaps()), fs::directory_iterator());
    ApplyOptions o = restore_opts();
    o.dry_run = true;
    RestorePlan plan;
    auto r = restore_snapshot(Postoffice(t.po()), snap, o, &plan);
    CHECK(r.dry_run);
    CHECK(plan.changes.actions.size() == 3);
    CHECK(file_tree(t.po()) == fixed);
    CHECK(std::distance(fs::directory_iterator(t.snaps()), fs::directory_iterator()) == count);
}

TEST_CASE("restore: a link where a file was is never followed", "[restore][makes-links]") {
    TempDir t;
    auto snap = fix(t);
    fs::create_directories(t.path / "OUT");
    write_text(t.path / "OUT/VICTIM", "outside");
    fs::remove(t.po() / "GLB/CONTROL.GLB");
    fs::create_symlink(t.path / "OUT/VICTIM", t.po() / "GLB/CONTROL.GLB");
    ApplyOptions force = restore_opts();
    force.force = true;
    try {
        restore_snapshot(Postoffice(t.po()), snap, force);
        FAIL("link followed");
    } catch (const Error& e) { CHECK(e.code() == Errc::unsafe_path); }
    CHECK(read_text(t.path / "OUT/VICTIM") == "outside");
    fs::remove(t.po() / "GLB/CONTROL.GLB");
    REQUIRE(mspo::test::remove_tree(t.po() / "MBG"));
    fs::create_directory_symlink(t.path / "OUT", t.po() / "MBG");
    CHECK_THROWS_AS(restore_snapshot(Postoffice(t.po()), snap, force), Error);
    CHECK_FALSE(fs::exists(t.path / "OUT/0000002A.MBG"));
}

namespace {
/// A hand-made "p1clean" snapshot claiming p1clean created GLB/ACCESS2.GLB
/// (and P1/X.P1), so a restore would delete both; then both are created.
fs::path evil_p1clean_snapshot(const TempDir& t) {
    const auto state = [](const std::string& text) { return present(text.size(), 0, crc32(to_bytes(text))); };
    SnapshotOptions o;
    o.tool = "p1clean";
    auto snap =
        write_snapshot(t.po(), {{"GLB/ACCESS2.GLB", state("accounts")}, {"P1/X.P1", state("stale")}}, o);
    write_text(t.po() / "GLB/ACCESS2.GLB", "accounts");
    write_text(t.po() / "P1/X.P1", "stale");
    return snap.path;
}
}  // namespace

TEST_CASE("restore: files outside the folders of the snapshot's tool are refused and listed", "[restore]") {
    TempDir t;
    const auto snap = evil_p1clean_snapshot(t);
    RestoreOutcome out = restore(Postoffice(t.po()), snap, restore_opts());
    CHECK_FALSE(out.refusal);
    CHECK(out.plan.refused == std::vector<std::string>{"GLB/ACCESS2.GLB"});
    CHECK(read_text(t.po() / "GLB/ACCESS2.GLB") == "accounts");  // kept
    CHECK_FALSE(fs::exists(t.po() / "P1/X.P1"));                 // P1 is p1clean's: restored
    REQUIRE(out.findings.size() == 2);
    const auto refused = std::find_if(out.findings.begin(), out.findings.end(), [](const Finding& f) {
        return f.code == CheckId::restore_outside_scope;
    });
    REQUIRE(refused != out.findings.end());
    CHECK(refused->file == "GLB/ACCESS2.GLB");
    CHECK(refused->severity == Severity::error);
    CHECK_FALSE(refused->fixed);
    CHECK(refused->message.find("(P1)") != std::string::npos);
    CHECK(refused->action.find("--force") != std::string::npos);
    // --list shows it too; with force it is restored, as a warning.
    CHECK(snapshot_list_findings(out.plan.manifest, &out.plan)[0].message.find("outside") !=
          std::string::npos);
    ApplyOptions force = restore_opts();
    force.force = true;
    out = restore(Postoffice(t.po()), snap, force);
    CHECK_FALSE(fs::exists(t.po() / "GLB/ACCESS2.GLB"));
    REQUIRE(out.findings.size() == 1);
    CHECK(out.findings[0].code == CheckId::restore_outside_scope);
    CHECK(out.findings[0].severity == Severity::warning);
    CHECK(out.findings[0].fixed);
}

TEST_CASE("restore: the undo snapshot of a restore may touch what the restored snapshot's tool may",
          "[restore]") {
    TempDir t;
    auto snap = fix(t);
    auto r = restore_snapshot(Postoffice(t.po()), snap, restore_opts());
    REQUIRE(r.snapshot);
    const Manifest undo = read_manifest(*r.snapshot);
    CHECK(undo.tool == "porestore");
    CHECK(undo.undoes == "mbgsplit");
    RestorePlan plan;
    restore_snapshot(Postoffice(t.po()), *r.snapshot, restore_opts(), &plan);
    CHECK(plan.refused.empty());
    CHECK(plan.changes.actions.size() == 3);
}

TEST_CASE("restore: a snapshot of another postoffice is refused unless forced, a moved one is not",
          "[restore]") {
    TempDir a;
    auto snap = fix(a);
    // B: a copy of A's fixed state elsewhere, but its own MASTER.GLB.
    TempDir b;
    REQUIRE(mspo::test::remove_tree(b.po()));
    fs::copy(a.po(), b.po(), fs::copy_options::recursive);
    write_text(b.po() / "GLB/MASTER.GLB", std::string(176, 'B'));
    const FileTree before = file_tree(b.po());
    try {
        restore(Postoffice(b.po()), snap, restore_opts());
        FAIL("restored into another postoffice");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::snapshot);
        const std::string what = e.what();
        CHECK(what.find(fs::canonical(a.po()).string()) != std::string::npos);
        CHECK(what.find(fs::canonical(b.po()).string()) != std::string::npos);
        CHECK(what.find("--force") != std::string::npos);
    }
    CHECK(file_tree(b.po()) == before);
    ApplyOptions force = restore_opts();
    force.force = true;
    auto out = restore(Postoffice(b.po()), snap, force);
    CHECK(out.findings.front().code == CheckId::restore_other_postoffice);
    CHECK(read_text(b.po() / "GLB/CONTROL.GLB") == "original control");

    // A postoffice moved elsewhere keeps its MASTER.GLB: its snapshots still apply.
    TempDir c;
    write_text(c.po() / "GLB/MASTER.GLB", std::string(176, 'C'));
    auto snap_c = fix(c);
    const fs::path moved = c.path / "MOVED";
    fs::rename(c.po(), moved);
    CHECK_FALSE(restore(Postoffice(moved), snap_c, restore_opts()).plan.other_postoffice);
    CHECK(read_text(moved / "GLB/CONTROL.GLB") == "original control");
}

TEST_CASE("restore: an error after the first change says so (exit 9), naming the undo snapshot",
          "[restore]") {
    TempDir t;
    auto snap = fix(t);
    ApplyOptions o = restore_opts();
    o.crash_hook = [](std::string_view step, std::size_t) {
        if (step == "restore-dir-mtime") throw Error(Errc::io, "injected folder failure");
    };
    try {
        restore(Postoffice(t.po()), snap, o);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.changes_made() == 3);
        CHECK(e.undo_snapshot().filename().string().find("-porestore-") != std::string::npos);
        CHECK(std::string(e.what()).find(e.undo_snapshot().string()) != std::string::npos);
    }
}

TEST_CASE("restore: folder entries are checked before the first change", "[restore][makes-links]") {
    TempDir t;
    auto snap = fix(t);
    // The manifest names MBG's mtime; MBG is now a link: the folder's files
    // cannot be restored through it, and nothing is changed.
    const FileTree fixed = file_tree(t.po());
    fs::rename(t.po() / "MBG", t.path / "MBG.REAL");
    fs::create_directory_symlink(t.path / "MBG.REAL", t.po() / "MBG");
    CHECK_THROWS_AS(restore(Postoffice(t.po()), snap, restore_opts()), Error);
    CHECK(read_text(t.po() / "GLB/CONTROL.GLB") == "fixed control");
    fs::remove(t.po() / "MBG");
    fs::rename(t.path / "MBG.REAL", t.po() / "MBG");
    CHECK(file_tree(t.po()) == fixed);
}

#if !defined(_WIN32)  // POSIX only: owners and set-id bits
TEST_CASE("restore: files come back with their mode and (as root) their owner", "[restore]") {
    TempDir t;
    write_text(t.po() / "P1/RO.P1", "read only");
    fs::permissions(t.po() / "P1/RO.P1", fs::perms::owner_read);
    const bool root = ::geteuid() == 0;
    if (root) REQUIRE(::chown((t.po() / "P1/RO.P1").c_str(), 1234, 5678) == 0);
    const FileTree original = file_tree(t.po());
    ChangePlan plan;
    plan.actions.emplace_back(FileAction::Kind::remove, "P1/RO.P1");
    ApplyOptions o;
    o.tool = "p1clean";
    auto snap = *apply_plan(Postoffice(t.po()), plan, o).snapshot;
    CHECK_FALSE(fs::exists(t.po() / "P1/RO.P1"));
    restore_snapshot(Postoffice(t.po()), snap, restore_opts());
    CHECK(file_tree(t.po()) == original);
    auto info = platform::stat_nofollow(t.po() / "P1/RO.P1");
    CHECK((info.mode & 07777) == 0400u);
    if (root) {
        CHECK(info.uid == 1234u);
        CHECK(info.gid == 5678u);
    }
    // Same bytes, other mode (and owner): the restore puts the mode back too.
    fs::permissions(t.po() / "P1/RO.P1",
                    fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
    if (root) REQUIRE(::chown((t.po() / "P1/RO.P1").c_str(), 0, 0) == 0);
    RestorePlan again;
    restore_snapshot(Postoffice(t.po()), snap, restore_opts(), &again);
    CHECK(again.changes.actions.size() == 1);
    info = platform::stat_nofollow(t.po() / "P1/RO.P1");
    CHECK((info.mode & 07777) == 0400u);
    if (root) CHECK(info.uid == 1234u);
    // and then there is nothing left to do
    restore_snapshot(Postoffice(t.po()), snap, restore_opts(), &again);
    CHECK(again.changes.actions.empty());
}
#endif

#if !defined(_WIN32)  // POSIX only: owners and set-id bits
TEST_CASE("restore: set-id and sticky bits recorded in a snapshot are never restored", "[restore]") {
    TempDir t;
    write_text(t.po() / "P1/S.P1", "x");
    ::chmod((t.po() / "P1/S.P1").c_str(), 04755);
    ChangePlan plan;
    plan.actions.emplace_back(FileAction::Kind::remove, "P1/S.P1");
    ApplyOptions o;
    o.tool = "p1clean";
    auto snap = *apply_plan(Postoffice(t.po()), plan, o).snapshot;
    CHECK(read_manifest(snap).files[0].before.mode == 04755u);
    restore_snapshot(Postoffice(t.po()), snap, restore_opts());
    CHECK((platform::stat_nofollow(t.po() / "P1/S.P1").mode & 07777) == 0755u);
}
#endif

TEST_CASE("restore: a file put back keeps the case of its name (found by tests/reliability/badpo)",
          "[restore]") {
    TempDir t;
    write_text(t.po() / "MBG/0000002c.mbg", "lower-case mailbag");
    const FileTree original = file_tree(t.po());
    ChangePlan plan;
    plan.actions.push_back({FileAction::Kind::remove, "MBG/0000002C.MBG", {}, std::nullopt});
    ApplyOptions o;
    o.tool = "mbgsplit";
    auto snap = *apply_plan(Postoffice(t.po()), plan, o).snapshot;
    REQUIRE_FALSE(fs::exists(t.po() / "MBG/0000002c.mbg"));
    restore_snapshot(Postoffice(t.po()), snap, restore_opts());
    CHECK(fs::exists(t.po() / "MBG/0000002c.mbg"));
    // Listed, not looked up: on a case-insensitive file system (Windows) a
    // lookup of 0000002C.MBG finds 0000002c.mbg too.
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(t.po() / "MBG"))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"0000002A.MBG", "0000002c.mbg"});
    CHECK(file_tree(t.po()) == original);
}
