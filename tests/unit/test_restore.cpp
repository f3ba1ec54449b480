#include <catch2/catch.hpp>
#include <atomic>
#include <fstream>
#include <map>
#include <unistd.h>

#include "mspo/change_plan.hpp"
#include "mspo/error.hpp"
#include "mspo/restore.hpp"
#include "mspo/snapshot.hpp"

using namespace mspo;
namespace fs = std::filesystem;

namespace {
struct TempDir {
    fs::path path;
    TempDir() {
        static std::atomic<int> n{0};
        path = fs::temp_directory_path() /
               ("mspo-restore-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
        for (const char* d : {"GLB", "MBG", "P1"}) fs::create_directories(path / "PO" / d);
        put(po() / "GLB/ACCESS.GLB", "original access");
        put(po() / "MBG/0000002A.MBG", "original mailbag");
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    fs::path po() const { return path / "PO"; }
    fs::path snaps() const { return path / "PO.snapshots"; }
    static void put(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }
};
std::string get(const fs::path& p) {
    Bytes data = platform::read_file(p, std::uint64_t{1} << 30);
    return std::string(data.begin(), data.end());
}
Bytes b(const std::string& s) { return Bytes(s.begin(), s.end()); }
using Tree = std::map<std::string, std::pair<std::string, std::int64_t>>;
Tree tree(const fs::path& root) {
    Tree t;
    for (auto& e : fs::recursive_directory_iterator(root))
        if (e.is_regular_file())
            t[fs::relative(e.path(), root).string()] = {get(e.path()),
                                                        platform::stat_nofollow(e.path()).mtime_ns};
    return t;
}
/// Runs a sample fixer; returns its snapshot.
fs::path fix(const TempDir& t) {
    ChangePlan plan;
    plan.actions.push_back({FileAction::Kind::replace, "GLB/ACCESS.GLB", b("fixed access"), std::nullopt});
    plan.actions.push_back({FileAction::Kind::remove, "MBG/0000002A.MBG", {}, std::nullopt});
    plan.actions.push_back({FileAction::Kind::create, "MBG/0000002B.MBG", b("new mailbag"), std::nullopt});
    ApplyOptions o;
    o.tool = "fixer";
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
    const Tree original = tree(t.po());
    auto snap = fix(t);
    const Tree fixed = tree(t.po());
    RestorePlan plan;
    auto r = restore_snapshot(Postoffice(t.po()), snap, restore_opts(), &plan);
    CHECK(plan.conflicts.empty());
    CHECK(plan.changes.actions.size() == 3);
    CHECK(tree(t.po()) == original);
    REQUIRE(r.snapshot);
    CHECK(r.snapshot->filename().string().find("-porestore-") != std::string::npos);
    // Restoring the restore's own snapshot gives back the fixed state (contents).
    restore_snapshot(Postoffice(t.po()), *r.snapshot, restore_opts());
    Tree again = tree(t.po());
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
    const Tree original = tree(t.po());
    auto snap = fix(t);
    TempDir::put(t.po() / "GLB/ACCESS.GLB", "edited by someone later");
    try {
        restore_snapshot(Postoffice(t.po()), snap, restore_opts());
        FAIL("not refused");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::changed);
        CHECK(std::string(e.what()).find("GLB/ACCESS.GLB") != std::string::npos);
        CHECK(std::string(e.what()).find("--force") != std::string::npos);
    }
    CHECK(get(t.po() / "GLB/ACCESS.GLB") == "edited by someone later");
    CHECK(fs::exists(t.po() / "MBG/0000002B.MBG"));  // nothing else was restored either
    ApplyOptions force = restore_opts();
    force.force = true;
    restore_snapshot(Postoffice(t.po()), snap, force);
    CHECK(tree(t.po()) == original);
}

TEST_CASE("restore: a damaged snapshot is refused and nothing changes", "[restore]") {
    TempDir t;
    auto snap = fix(t);
    const Tree fixed = tree(t.po());
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
        CHECK(tree(t.po()) == fixed);
    }
}

TEST_CASE("restore: dry run plans without writing", "[restore]") {
    TempDir t;
    auto snap = fix(t);
    const Tree fixed = tree(t.po());
    auto count = std::distance(fs::directory_iterator(t.snaps()), fs::directory_iterator());
    ApplyOptions o = restore_opts();
    o.dry_run = true;
    RestorePlan plan;
    auto r = restore_snapshot(Postoffice(t.po()), snap, o, &plan);
    CHECK(r.dry_run);
    CHECK(plan.changes.actions.size() == 3);
    CHECK(tree(t.po()) == fixed);
    CHECK(std::distance(fs::directory_iterator(t.snaps()), fs::directory_iterator()) == count);
}

TEST_CASE("restore: a link where a file was is never followed", "[restore]") {
    TempDir t;
    auto snap = fix(t);
    fs::create_directories(t.path / "OUT");
    TempDir::put(t.path / "OUT/VICTIM", "outside");
    fs::remove(t.po() / "GLB/ACCESS.GLB");
    fs::create_symlink(t.path / "OUT/VICTIM", t.po() / "GLB/ACCESS.GLB");
    ApplyOptions force = restore_opts();
    force.force = true;
    try {
        restore_snapshot(Postoffice(t.po()), snap, force);
        FAIL("link followed");
    } catch (const Error& e) { CHECK(e.code() == Errc::unsafe_path); }
    CHECK(get(t.path / "OUT/VICTIM") == "outside");
    fs::remove(t.po() / "GLB/ACCESS.GLB");
    fs::remove_all(t.po() / "MBG");
    fs::create_directory_symlink(t.path / "OUT", t.po() / "MBG");
    CHECK_THROWS_AS(restore_snapshot(Postoffice(t.po()), snap, force), Error);
    CHECK_FALSE(fs::exists(t.path / "OUT/0000002A.MBG"));
}
