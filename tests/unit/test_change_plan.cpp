#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "mspo/safety/atomic_file.hpp"
#include "mspo/safety/change_plan.hpp"
#include "mspo/base/error.hpp"
#include "mspo/safety/restore.hpp"
#include "mspo/safety/snapshot.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using mspo::test::code_of;
using mspo::test::file_tree;
using mspo::test::FileTree;
using mspo::test::read_text;
using mspo::test::to_bytes;
using mspo::test::write_text;

namespace {
struct TempDir : mspo::test::TempPoDir {
    TempDir() : TempPoDir("plan", {"GLB", "MBG", "KEY", "P1"}) {}
};

void seed(const TempDir& t) {
    write_text(t.po() / "GLB/ACCESS.GLB", "old access");
    write_text(t.po() / "MBG/0000002A.MBG", "old mailbag");
    write_text(t.po() / "KEY/0000002A.KEY", "old key");
}

ChangePlan sample_plan() {
    ChangePlan plan;
    plan.actions.push_back(
        {FileAction::Kind::replace, "glb/access.glb", to_bytes("new access"), std::nullopt});
    plan.actions.push_back({FileAction::Kind::remove, "MBG/0000002A.MBG", {}, std::nullopt});
    plan.actions.push_back({FileAction::Kind::create, "KEY/0000002B.KEY", to_bytes("new key"), std::nullopt});
    plan.actions.push_back(
        {FileAction::Kind::replace, "KEY/0000002A.KEY", to_bytes("newer key"), std::nullopt});
    return plan;
}
}  // namespace

TEST_CASE("change_plan: apply snapshots then changes every file", "[change_plan]") {
    TempDir t;
    seed(t);
    FileTree original = file_tree(t.po());
    Postoffice po(t.po());
    ApplyOptions o;
    o.tool = "test";
    auto r = apply_plan(po, sample_plan(), o);
    CHECK(r.actions_done == 4);
    REQUIRE(r.snapshot);
    CHECK(verify_snapshot(*r.snapshot).ok());
    CHECK(read_text(t.po() / "GLB/ACCESS.GLB") == "new access");
    CHECK_FALSE(fs::exists(t.po() / "MBG/0000002A.MBG"));
    CHECK(read_text(t.po() / "KEY/0000002B.KEY") == "new key");
    CHECK(r.resolved_paths[0] == "GLB/ACCESS.GLB");
    CHECK_FALSE(fs::exists(toolkit_lock_path(t.po())));  // lock released
    // restoring gives back the original, mtimes included
    restore_snapshot(po, *r.snapshot, ApplyOptions{});
    CHECK(file_tree(t.po()) == original);
}

TEST_CASE("change_plan: dry run writes nothing at all", "[change_plan]") {
    TempDir t;
    seed(t);
    FileTree original = file_tree(t.po());
    ApplyOptions o;
    o.dry_run = true;
    auto r = apply_plan(Postoffice(t.po()), sample_plan(), o);
    CHECK(r.dry_run);
    CHECK(r.actions_done == 0);
    CHECK_FALSE(r.snapshot);
    CHECK(file_tree(t.po()) == original);
    CHECK_FALSE(fs::exists(t.snaps()));
    CHECK_FALSE(fs::exists(toolkit_lock_path(t.po())));
}

TEST_CASE("change_plan: plans that do not match the postoffice are refused", "[change_plan]") {
    TempDir t;
    seed(t);
    Postoffice po(t.po());
    ChangePlan twice;
    twice.actions.push_back({FileAction::Kind::replace, "GLB/ACCESS.GLB", to_bytes("x"), std::nullopt});
    twice.actions.push_back({FileAction::Kind::replace, "glb/Access.glb", to_bytes("y"), std::nullopt});
    CHECK(code_of([&] { apply_plan(po, twice, {}); }) == Errc::usage);
    ChangePlan create_existing{{{FileAction::Kind::create, "GLB/ACCESS.GLB", to_bytes("x"), std::nullopt}}};
    CHECK(code_of([&] { apply_plan(po, create_existing, {}); }) == Errc::changed);
    ChangePlan replace_missing{{{FileAction::Kind::replace, "GLB/NONE.GLB", to_bytes("x"), std::nullopt}}};
    CHECK(code_of([&] { apply_plan(po, replace_missing, {}); }) == Errc::changed);
    ChangePlan escape{{{FileAction::Kind::create, "GLB/../../EVIL", to_bytes("x"), std::nullopt}}};
    CHECK(code_of([&] { apply_plan(po, escape, {}); }) == Errc::unsafe_path);
    CHECK(read_text(t.po() / "GLB/ACCESS.GLB") == "old access");
    CHECK_FALSE(fs::exists(t.snaps()));
}

TEST_CASE("change_plan: refuses while in use unless forced", "[change_plan]") {
    TempDir t;
    seed(t);
    Postoffice po(t.po());
    ChangePlan plan{{{FileAction::Kind::replace, "GLB/ACCESS.GLB", to_bytes("new"), std::nullopt}}};
    SECTION("fresh External lock") {
        write_text(t.po() / "P1/0000002A.0LK", "");
        CHECK(code_of([&] { apply_plan(po, plan, {}); }) == Errc::in_use);
        CHECK(read_text(t.po() / "GLB/ACCESS.GLB") == "old access");
        ApplyOptions force;
        force.force = true;
        auto r = apply_plan(po, plan, force);
        CHECK(r.overridden.size() == 1);
        CHECK(read_text(t.po() / "GLB/ACCESS.GLB") == "new");
    }
    SECTION("a lock held on a file about to change") {
        auto holder = platform::open_rw_create(t.po() / "GLB/ACCESS.GLB", 0644);
        REQUIRE(platform::try_lock_exclusive(holder, t.po() / "GLB/ACCESS.GLB"));
        try {
            apply_plan(po, plan, {});
            FAIL("not refused");
        } catch (const Error& e) {
            CHECK(e.code() == Errc::in_use);
            CHECK(std::string(e.what()).find("--force") != std::string::npos);
        }
        CHECK_FALSE(fs::exists(t.snaps()));
    }
    SECTION("another fixer holds the toolkit lock") {
        ToolkitLock other(t.po(), "palfix");
        CHECK(code_of([&] { apply_plan(po, plan, {}); }) == Errc::in_use);
        ApplyOptions force;
        force.force = true;  // --force never overrides another fixer
        CHECK(code_of([&] { apply_plan(po, plan, force); }) == Errc::in_use);
        CHECK(read_text(t.po() / "GLB/ACCESS.GLB") == "old access");
    }
}

namespace {
void crash_at_every_step(bool hard) {
    // Record every step of a full run.
    std::vector<std::pair<std::string, std::size_t>> steps;
    {
        TempDir t;
        seed(t);
        ApplyOptions o;
        o.crash_hook = [&](std::string_view s, std::size_t i) { steps.emplace_back(std::string(s), i); };
        apply_plan(Postoffice(t.po()), sample_plan(), o);
    }
    REQUIRE(steps.size() >= 12);
    const FileTree expected_new = [] {
        TempDir t;
        seed(t);
        apply_plan(Postoffice(t.po()), sample_plan(), {});
        return file_tree(t.po());
    }();
    {
        for (const auto& [name, index] : steps) {
            INFO((hard ? "_exit at " : "throw at ") << name << " #" << index);
            TempDir t;
            seed(t);
            const FileTree original = file_tree(t.po());
            auto crash = [&, n = name, i = index](std::string_view s, std::size_t at) {
                if (s == n && at == i) {
                    if (hard) ::_exit(77);  // like a power cut: no unwinding, no cleanup
                    throw std::runtime_error("crash");
                }
            };
            if (hard) {
                pid_t child = ::fork();
                if (child == 0) {
                    ApplyOptions o;
                    o.crash_hook = crash;
                    try {
                        apply_plan(Postoffice(t.po()), sample_plan(), o);
                    } catch (...) {}
                    ::_exit(0);
                }
                int status = 0;
                ::waitpid(child, &status, 0);
                REQUIRE(WIFEXITED(status));
                CHECK(WEXITSTATUS(status) == 77);
            } else {
                ApplyOptions o;
                o.crash_hook = crash;
                CHECK_THROWS_AS(apply_plan(Postoffice(t.po()), sample_plan(), o), std::runtime_error);
            }
            // Each file is either exactly old or exactly new (temporaries aside).
            FileTree now = file_tree(t.po());
            for (const auto& [path, value] : now) {
                if (atomic::is_temp_name(path)) continue;
                bool is_old = original.count(path) && original.at(path).first == value.first;
                bool is_new = expected_new.count(path) && expected_new.at(path).first == value.first;
                CHECK((is_old || is_new));
            }
            // The verified snapshot (if one was finished) restores the original exactly.
            // A crash while writing the snapshot may leave "<name>.partial"
            // (never a "*.tar.gz"); only a finished, verified one counts.
            std::vector<fs::path> snaps;
            if (fs::exists(t.snaps())) {
                for (auto& e : fs::directory_iterator(t.snaps())) {
                    if (e.path().extension() == ".gz")
                        snaps.push_back(e.path());
                    else
                        CHECK(hard);  // the throwing path removes its partial archive
                }
            }
            if (snaps.empty()) {
                CHECK(now == original);
                continue;
            }
            REQUIRE(snaps.size() == 1);
            restore_snapshot(Postoffice(t.po()), snaps[0], {});  // also removes stale temporaries
            FileTree restored = file_tree(t.po());
            CHECK(restored == original);
        }
    }
}
}  // namespace

TEST_CASE("change_plan: an exception at every step leaves each file old or new; the snapshot restores",
          "[change_plan]") {
    crash_at_every_step(false);
}

TEST_CASE(
    "change_plan: a hard crash (_exit) at every step leaves each file old or new; the snapshot restores",
    "[change_plan]") {
    crash_at_every_step(true);
}
