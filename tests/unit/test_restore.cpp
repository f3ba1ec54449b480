#include <catch2/catch.hpp>
#include <fstream>

#include "mspo/safety/change_plan.hpp"
#include "mspo/base/error.hpp"
#include "mspo/safety/restore.hpp"
#include "mspo/safety/snapshot.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using mspo::test::file_tree;
using mspo::test::FileTree;
using mspo::test::read_text;
using mspo::test::to_bytes;
using mspo::test::write_text;

namespace {
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

TEST_CASE("restore: puts back bytes and mtimes; the undo snapshot redoes the fix", "[restore]") {
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

TEST_CASE("restore: a link where a file was is never followed", "[restore]") {
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
    fs::remove_all(t.po() / "MBG");
    fs::create_directory_symlink(t.path / "OUT", t.po() / "MBG");
    CHECK_THROWS_AS(restore_snapshot(Postoffice(t.po()), snap, force), Error);
    CHECK_FALSE(fs::exists(t.path / "OUT/0000002A.MBG"));
}
