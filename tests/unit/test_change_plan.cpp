#include <catch2/catch.hpp>
#if !defined(_WIN32)
#include <sys/wait.h>
#endif
#include <unistd.h>

#include <algorithm>
#include <new>
#include <numeric>

#include "mspo/base/crc32.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/cli/exit_codes.hpp"
#include "mspo/safety/atomic_file.hpp"
#include "mspo/safety/change_plan.hpp"
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

namespace {
/// A restore as the oracle: tool "test" is in no row of the scope table
/// (tool_scope.hpp), so its files are restored only with force.
ApplyOptions forced_restore() {
    ApplyOptions o;
    o.force = true;
    return o;
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
    restore_snapshot(po, *r.snapshot, forced_restore());
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
    // Found before any target is looked at: a remove and a create of one
    // file is a plan naming it twice, not a create of an existing file.
    ChangePlan remove_create;
    remove_create.actions.push_back({FileAction::Kind::remove, "GLB/ACCESS.GLB"});
    remove_create.actions.push_back(
        {FileAction::Kind::create, "GLB/access.GLB", to_bytes("y"), std::nullopt});
    CHECK(code_of([&] { apply_plan(po, remove_create, {}); }) == Errc::usage);
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
        ApplyOptions dry;  // -n predicts the refusal, and with --force the override
        dry.dry_run = true;
        CHECK(code_of([&] { apply_plan(po, plan, dry); }) == Errc::in_use);
        dry.force = true;
#if defined(_WIN32)  // an exclusive range lock is mandatory there: no snapshot could read the file
        CHECK(code_of([&] { apply_plan(po, plan, dry); }) == Errc::in_use);
#else
        CHECK(apply_plan(po, plan, dry).overridden.size() == 1);
#endif
        CHECK_FALSE(fs::exists(t.snaps()));
    }
    SECTION("another fixer holds the toolkit lock") {
        ToolkitLock other(t.po(), "palfix");
        try {
            apply_plan(po, plan, {});
            FAIL("not refused");
        } catch (const Error& e) {
            CHECK(e.code() == Errc::in_use);
            CHECK(std::string(e.what()).find("--force") != std::string::npos);
            CHECK(std::string(e.what()).find(".mspo.lock") != std::string::npos);
        }
        CHECK(read_text(t.po() / "GLB/ACCESS.GLB") == "old access");
        ApplyOptions force;
        force.force = true;  // the contract: --force overrides it, and the report says so
        const ApplyResult r = apply_plan(po, plan, force);
        REQUIRE(r.overridden.size() == 1);
        CHECK(r.overridden[0].find("another toolkit fixer") != std::string::npos);
        CHECK(fs::exists(other.path()));  // the other's lock is left alone
    }
}

namespace {
/// A plan that makes folders and files inside them, among other changes.
ChangePlan folder_plan() {
    ChangePlan plan;
    plan.actions.emplace_back(FileAction::Kind::replace, "GLB/ACCESS.GLB", to_bytes("new access"));
    plan.actions.emplace_back(FileAction::Kind::make_dir, "NEW");
    plan.actions.emplace_back(FileAction::Kind::make_dir, "new/Sub");
    plan.actions.emplace_back(FileAction::Kind::create, "NEW/SUB/FILE.DAT", to_bytes("in a new folder"));
    plan.actions.emplace_back(FileAction::Kind::create, "new/FILE2.DAT", to_bytes("also"));
    plan.actions.emplace_back(FileAction::Kind::remove, "MBG/0000002A.MBG");
    return plan;
}

void crash_at_every_step(bool hard, ChangePlan (*make_plan)() = sample_plan) {
    // Record every step of a full run.
    std::vector<std::pair<std::string, std::size_t>> steps;
    {
        TempDir t;
        seed(t);
        ApplyOptions o;
        o.crash_hook = [&](std::string_view s, std::size_t i) { steps.emplace_back(std::string(s), i); };
        apply_plan(Postoffice(t.po()), make_plan(), o);
    }
    REQUIRE(steps.size() >= 12);
    const FileTree expected_new = [&] {
        TempDir t;
        seed(t);
        apply_plan(Postoffice(t.po()), make_plan(), {});
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
#if defined(_WIN32)
                FAIL("no fork() on Windows");
#else
                pid_t child = ::fork();
                if (child == 0) {
                    ApplyOptions o;
                    o.crash_hook = crash;
                    try {
                        apply_plan(Postoffice(t.po()), make_plan(), o);
                    } catch (...) {}
                    ::_exit(0);
                }
                int status = 0;
                ::waitpid(child, &status, 0);
                REQUIRE(WIFEXITED(status));
                CHECK(WEXITSTATUS(status) == 77);
#endif
            } else {
                ApplyOptions o;
                o.crash_hook = crash;
                CHECK_THROWS_AS(apply_plan(Postoffice(t.po()), make_plan(), o), std::runtime_error);
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
            auto r = restore_snapshot(Postoffice(t.po()), snaps[0],
                                      forced_restore());  // also removes stale temporaries
            FileTree restored = file_tree(t.po());
            CHECK(restored == original);
            CHECK(r.stale_lock.has_value() == hard);    // the crashed run's lock, taken over and reported
            if (!hard) CHECK(r.removed_temps.empty());  // the throwing path removes its own
        }
    }
}
}  // namespace

TEST_CASE("change_plan: an exception at every step leaves each file old or new, the snapshot restores",
          "[change_plan]") {
    crash_at_every_step(false);
}

#if !defined(_WIN32)  // POSIX only: fork() runs the power cut (_exit) in a child
TEST_CASE(
    "change_plan: a hard crash (_exit) at every step leaves each file old or new, the snapshot restores",
    "[change_plan]") {
    crash_at_every_step(true);
}
#endif

TEST_CASE("change_plan: make_dir at every step (exception), each file old or new, the snapshot restores",
          "[change_plan]") {
    crash_at_every_step(false, folder_plan);
}

#if !defined(_WIN32)  // POSIX only: fork() runs the power cut (_exit) in a child
TEST_CASE("change_plan: make_dir at every step (_exit), each file old or new, the snapshot restores",
          "[change_plan]") {
    crash_at_every_step(true, folder_plan);
}
#endif

TEST_CASE("change_plan: make_dir then create inside it, in plan order", "[change_plan]") {
    TempDir t;
    seed(t);
    REQUIRE(mspo::test::remove_tree(t.po() / "P1"));
    Postoffice po(t.po());
    ChangePlan plan;
    plan.actions.emplace_back(FileAction::Kind::make_dir, "p1");
    plan.actions.emplace_back(FileAction::Kind::create, "P1/POPULATE.MSM");
    std::vector<std::string> steps;
    ApplyOptions o;
    o.crash_hook = [&](std::string_view s, std::size_t i) {
        steps.push_back(std::string(s) + "#" + std::to_string(i));
    };
    auto r = apply_plan(po, plan, o);
    CHECK(r.actions_done == 2);
    CHECK(r.resolved_paths == std::vector<std::string>{"P1", "P1/POPULATE.MSM"});
    CHECK(fs::is_directory(t.po() / "P1"));
    CHECK(fs::file_size(t.po() / "P1/POPULATE.MSM") == 0);
    const std::vector<std::string> expected{"lock#0",     "snapshot-write#0", "snapshot-verify#0",
                                            "make-dir#0", "fsync-dir#0",      "write-temp#1",
                                            "rename#1",   "fsync-dir#1"};
    CHECK(steps == expected);
    // The snapshot records the folder as absent before, a folder after.
    REQUIRE(r.snapshot);
    auto m = read_manifest(*r.snapshot);
    REQUIRE(m.files.size() == 2);
    CHECK(m.files[0].path == "P1");
    CHECK_FALSE(m.files[0].before.present);
    REQUIRE(m.files[0].after);
    CHECK(m.files[0].after->folder);
    CHECK(m.files[0].after->present);
    CHECK_FALSE(m.files[1].after->folder);
    CHECK(verify_snapshot(*r.snapshot).ok());
    // A restore removes the created file and leaves the (then empty) folder.
    restore_snapshot(po, *r.snapshot, forced_restore());
    CHECK_FALSE(fs::exists(t.po() / "P1/POPULATE.MSM"));
    CHECK(fs::is_directory(t.po() / "P1"));
}

TEST_CASE("change_plan: make_dir is validated with the plan, nothing written on refusal", "[change_plan]") {
    TempDir t;
    seed(t);
    REQUIRE(mspo::test::remove_tree(t.po() / "P1"));
    Postoffice po(t.po());
    const FileTree original = file_tree(t.po());
    auto refused = [&](std::vector<FileAction> actions) {
        ChangePlan plan{std::move(actions)};
        Errc code = code_of([&] { apply_plan(po, plan, {}); });
        CHECK_FALSE(fs::exists(t.po() / "P1"));
        CHECK(file_tree(t.po()) == original);
        CHECK_FALSE(fs::exists(t.snaps()));
        CHECK_FALSE(fs::exists(toolkit_lock_path(t.po())));
        return code;
    };
    using K = FileAction::Kind;
    // the folder must come first
    CHECK(refused({{K::create, "P1/POPULATE.MSM"}, {K::make_dir, "P1"}}) == Errc::not_found);
    // an existing folder is refused like create of an existing file
    CHECK(refused({{K::make_dir, "GLB"}}) == Errc::changed);
    CHECK(refused({{K::make_dir, "GLB/ACCESS.GLB"}}) == Errc::changed);
    CHECK(refused({{K::make_dir, "P1"}, {K::make_dir, "p1"}}) == Errc::usage);
    // its parent must exist (or be made earlier)
    CHECK(refused({{K::make_dir, "P1/SUB"}}) == Errc::not_found);
    // a folder has no contents
    CHECK(refused({{K::make_dir, "P1", to_bytes("x")}}) == Errc::usage);
    // inside a new folder nothing can be replaced or removed
    CHECK(refused({{K::make_dir, "P1"}, {K::remove, "P1/X"}}) == Errc::changed);
    // A snapshot that cannot be written (folder inside the postoffice): the
    // folder is not made either (p1clean used to make P1 before this).
    ChangePlan plan;
    plan.actions.emplace_back(K::make_dir, "P1");
    plan.actions.emplace_back(K::create, "P1/POPULATE.MSM");
    ApplyOptions inside;
    inside.snapshot_dir = t.po() / "GLB/SNAPS";
    CHECK(code_of([&] { apply_plan(po, plan, inside); }) == Errc::unsafe_path);
    CHECK_FALSE(fs::exists(t.po() / "P1"));
    // The dry run accepts the plan and writes nothing.
    ApplyOptions dry;
    dry.dry_run = true;
    auto r = apply_plan(po, plan, dry);
    CHECK(r.resolved_paths == std::vector<std::string>{"P1", "P1/POPULATE.MSM"});
    CHECK_FALSE(fs::exists(t.po() / "P1"));
    CHECK_FALSE(fs::exists(t.snaps()));
}

TEST_CASE("change_plan: a folder made since the snapshot stops the plan (changed)", "[change_plan]") {
    TempDir t;
    seed(t);
    REQUIRE(mspo::test::remove_tree(t.po() / "P1"));
    ChangePlan plan;
    plan.actions.emplace_back(FileAction::Kind::replace, "GLB/ACCESS.GLB", to_bytes("new"));
    plan.actions.emplace_back(FileAction::Kind::make_dir, "P1");
    ApplyOptions o;
    o.crash_hook = [&](std::string_view s, std::size_t) {
        if (s == "snapshot-verify") fs::create_directory(t.po() / "P1");
    };
    try {
        apply_plan(Postoffice(t.po()), plan, o);
        FAIL("not refused");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::changed);
        CHECK(e.changes_made() == 1);
    }
}

TEST_CASE("change_plan: a file deleted or made between plan and snapshot stops the plan, nothing changed",
          "[change_plan]") {
    for (const bool deleted : {true, false}) {
        TempDir t;
        seed(t);
        const FileTree before = file_tree(t.po());
        ApplyOptions o;
        o.crash_hook = [&](std::string_view s, std::size_t) {
            if (s != "lock") return;  // after step 1 validated the plan
            if (deleted)
                fs::remove(t.po() / "KEY/0000002A.KEY");
            else
                write_text(t.po() / "KEY/0000002B.KEY", "someone else's");
        };
        try {
            apply_plan(Postoffice(t.po()), sample_plan(), o);
            FAIL("not refused");
        } catch (const Error& e) {
            CHECK(e.code() == Errc::changed);
            CHECK(e.changes_made() == 0);
            CHECK(e.file().filename() == (deleted ? "0000002A.KEY" : "0000002B.KEY"));
        }
        FileTree now = file_tree(t.po());
        if (deleted)
            now["KEY/0000002A.KEY"] = before.at("KEY/0000002A.KEY");
        else
            now.erase("KEY/0000002B.KEY");
        CHECK(now == before);
    }
}

namespace {
ContentWriter writer_of(Bytes data) {
    return [data = std::move(data)](const std::function<void(ByteSpan)>& sink) {
        for (std::size_t at = 0; at < data.size(); at += 1000)
            sink(ByteSpan(data).subspan(at, std::min<std::size_t>(1000, data.size() - at)));
    };
}
FileAction streamed(FileAction::Kind kind, std::string path, const Bytes& data, std::uint32_t crc) {
    FileAction a(kind, std::move(path));
    a.source = writer_of(data);
    a.source_size = data.size();
    a.source_crc32 = crc;
    return a;
}
}  // namespace

TEST_CASE("change_plan: streamed contents, mode and mtime go through the plan", "[change_plan]") {
    TempDir t;
    seed(t);
    Postoffice po(t.po());
    const Bytes big = mspo::test::random_bytes(700 * 1000 + 3, 11);
    ChangePlan plan;
    plan.actions.push_back(streamed(FileAction::Kind::replace, "MBG/0000002A.MBG", big, crc32(big)));
    plan.actions.push_back(streamed(FileAction::Kind::create, "MBG/0000002B.MBG", big, crc32(big)));
    plan.actions.back().mode = 0400;
    plan.actions.back().mtime_ns = 1'600'000'000'123'456'789;
    auto r = apply_plan(po, plan, {});
    CHECK(r.actions_done == 2);
    CHECK(mspo::test::read_bytes(t.po() / "MBG/0000002A.MBG") == big);
    CHECK(mspo::test::read_bytes(t.po() / "MBG/0000002B.MBG") == big);
    const auto info = platform::stat_nofollow(t.po() / "MBG/0000002B.MBG");
#if !defined(_WIN32)  // POSIX only: permission bits
    CHECK(info.mode == 0400);
#endif
    CHECK(info.mtime_ns == mspo::test::file_time_ns(1'600'000'000'123'456'789));
    // The snapshot's planned state is the source's size and CRC.
    auto m = read_manifest(*r.snapshot);
    CHECK(m.files[0].after->size == big.size());
    CHECK(m.files[0].after->crc32 == crc32(big));
}

TEST_CASE("change_plan: a streamed source that differs from its size/CRC stops the plan, target untouched",
          "[change_plan]") {
    TempDir t;
    seed(t);
    const Bytes data = to_bytes("the new mailbag");
    ChangePlan plan;
    plan.actions.emplace_back(FileAction::Kind::replace, "GLB/ACCESS.GLB", to_bytes("new access"));
    plan.actions.push_back(streamed(FileAction::Kind::replace, "MBG/0000002A.MBG", data, crc32(data) ^ 1));
    plan.actions.emplace_back(FileAction::Kind::remove, "KEY/0000002A.KEY");
    try {
        apply_plan(Postoffice(t.po()), plan, {});
        FAIL("not refused");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::changed);
        CHECK(e.changes_made() == 1);
        CHECK(cli::exit_code_for(e) == 9);
        CHECK(std::string(e.what()).find("1 change was made") != std::string::npos);
    }
    CHECK(read_text(t.po() / "GLB/ACCESS.GLB") == "new access");
    CHECK(read_text(t.po() / "MBG/0000002A.MBG") == "old mailbag");
    CHECK(read_text(t.po() / "KEY/0000002A.KEY") == "old key");
    CHECK(std::distance(fs::directory_iterator(t.po() / "MBG"), fs::directory_iterator()) == 1);
}

TEST_CASE("change_plan: every error after N changes carries N, exit 9, 8 before any, 33 if interrupted",
          "[change_plan]") {
    struct Case {
        const char* name;
        std::function<void()> fail;
        Errc code;
    };
    const std::vector<Case> cases = {
        {"mspo::Error", [] { throw Error(Errc::io, "disk gone"); }, Errc::io},
        {"std::runtime_error", [] { throw std::runtime_error("boom"); }, Errc::io},
        {"std::bad_alloc", [] { throw std::bad_alloc(); }, Errc::io},
        {"int", [] { throw 42; }, Errc::io},
        {"interrupt", [] { request_interrupt(); }, Errc::interrupted},
    };
    for (const auto& c : cases) {
        for (std::size_t at : {std::size_t{0}, std::size_t{2}}) {
            INFO(c.name << " before action " << at);
            TempDir t;
            seed(t);
            ApplyOptions o;
            o.crash_hook = [&](std::string_view s, std::size_t i) {
                if (i == at && (s == "write-temp" || s == "remove")) c.fail();
            };
            try {
                apply_plan(Postoffice(t.po()), sample_plan(), o);
                FAIL("no error");
            } catch (const Error& e) {
                clear_interrupt();
                // an interrupt raised inside action `at` stops before the next one
                const std::size_t made = c.code == Errc::interrupted ? at + 1 : at;
                CHECK(e.code() == c.code);
                CHECK(e.changes_made() == made);
                CHECK_FALSE(e.undo_snapshot().empty());
                const int base = c.code == Errc::interrupted ? 32 : 8;
                CHECK(cli::exit_code_for(e) == (made > 0 ? base + 1 : base));
                if (made > 0)
                    CHECK(std::string(e.what()).find(std::to_string(made) + " change") != std::string::npos);
            } catch (...) {
                clear_interrupt();
                FAIL("not an mspo::Error");
            }
        }
    }
}

namespace {
/// `n` findings, all unfixed (a finding is made only from a check table row).
Findings findings_of(std::size_t n) { return Findings(n, make_finding(CheckId::p1_stale, "P1/X", "stale")); }
}  // namespace

TEST_CASE("change_plan: mark_repaired marks what all its repairing actions did", "[change_plan]") {
    TempDir t;
    seed(t);
    Findings findings = findings_of(5);
    ChangePlan plan = sample_plan();
    plan.actions[0].repairs = {0};     // done
    plan.actions[1].repairs = {1, 2};  // done
    plan.actions[2].repairs = {2};     // fails: finding 2 is repaired only in part
    plan.actions[3].repairs = {3};     // not reached
    // finding 4: no action repairs it
    ApplyOptions o;
    o.crash_hook = [](std::string_view s, std::size_t i) {
        if (s == "rename" && i == 2) throw Error(Errc::io, "disk full");
    };
    ApplyResult result;
    try {
        apply_plan(Postoffice(t.po()), plan, o);
        FAIL("no error");
    } catch (const Error& e) { result.actions_done = e.changes_made(); }
    mark_repaired(findings, plan, result);
    std::vector<bool> fixed;
    for (const auto& f : findings) fixed.push_back(f.fixed);
    CHECK(fixed == std::vector<bool>{true, true, false, false, false});

    Findings again = findings_of(5);
    ApplyResult all;
    all.actions_done = 4;
    mark_repaired(again, plan, all);
    CHECK(again[2].fixed);
    CHECK(again[3].fixed);
    CHECK_FALSE(again[4].fixed);
    Findings dry = findings_of(5);
    all.dry_run = true;
    mark_repaired(dry, plan, all);
    for (const auto& f : dry) CHECK_FALSE(f.fixed);
    Findings too_few = findings_of(3);
    all.dry_run = false;
    CHECK(code_of([&] { mark_repaired(too_few, plan, all); }) == Errc::usage);
    for (const auto& f : too_few) CHECK_FALSE(f.fixed);
}

#if !defined(_WIN32)  // POSIX only: fork() plays a run killed mid-write
namespace {
/// Leaves the toolkit lock of `po` stale, as a run killed while writing
/// GLB/ACCESS.GLB does (its temporary stays); returns that temporary's name.
std::string crash_mid_write(const fs::path& po) {
    int pipefd[2];
    REQUIRE(::pipe(pipefd) == 0);
    pid_t child = ::fork();
    if (child == 0) {
        ::close(pipefd[0]);
        new ToolkitLock(po, "crasher");  // never released
        atomic::WriteOptions w;
        w.hook = [&](std::string_view s, std::size_t) {
            if (s != "rename") return;
            for (const auto& e : fs::directory_iterator(po / "GLB")) {
                const std::string n = e.path().filename().string();
                if (atomic::temp_token(n)) {
                    if (::write(pipefd[1], n.data(), n.size()) < 0) ::_exit(3);
                }
            }
            ::_exit(77);
        };
        atomic::replace_file(po, "GLB/ACCESS.GLB", to_bytes("half"), w);
        ::_exit(0);
    }
    ::close(pipefd[1]);
    char buf[512];
    const auto n = ::read(pipefd[0], buf, sizeof buf);
    ::close(pipefd[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 77);
    REQUIRE(n > 0);
    return std::string(buf, static_cast<std::size_t>(n));
}
}  // namespace
#endif

#if !defined(_WIN32)  // POSIX only: fork() plays a run killed mid-write
TEST_CASE("change_plan: a stale toolkit lock and its run's temporaries are reported, dry run too",
          "[change_plan]") {
    TempDir t;
    seed(t);
    const std::string temp = crash_mid_write(t.po());
    // Look-alikes that are not provably that run's: never removed.
    write_text(t.po() / "P1/X.mspo-tmp.1.2", "a user's file");
    write_text(t.po() / "GLB/A.GLB.mspo-tmp.0123456789abcdef.0", "another run's");
    Postoffice po(t.po());
    ChangePlan plan{{{FileAction::Kind::replace, "KEY/0000002A.KEY", to_bytes("new key")}}};

    ApplyOptions dry;
    dry.dry_run = true;
    auto predicted = apply_plan(po, plan, dry);
    REQUIRE(predicted.stale_lock);
    CHECK(predicted.stale_lock->find("crasher") != std::string::npos);
    CHECK(predicted.removed_temps == std::vector<std::string>{"GLB/" + temp});
    CHECK(fs::exists(t.po() / "GLB" / temp));  // the dry run removed nothing
    auto dry_notes = apply_notes(predicted);
    REQUIRE(dry_notes.size() == 2);
    CHECK(dry_notes[0].check == "safety.stale-lock-taken");
    CHECK(dry_notes[0].severity == Severity::warning);
    CHECK(dry_notes[0].file == "../PO.mspo.lock");
    CHECK(dry_notes[0].message.find("would take over") != std::string::npos);
    CHECK(dry_notes[1].check == "safety.temp-removed");
    CHECK(dry_notes[1].file == "GLB/" + temp);
    CHECK_FALSE(dry_notes[1].fixed);

    auto r = apply_plan(po, plan, {});
    REQUIRE(r.stale_lock);
    CHECK(r.removed_temps == predicted.removed_temps);
    CHECK_FALSE(fs::exists(t.po() / "GLB" / temp));
    CHECK(read_text(t.po() / "GLB/ACCESS.GLB") == "old access");  // the crashed write never landed
    CHECK(read_text(t.po() / "P1/X.mspo-tmp.1.2") == "a user's file");
    CHECK(fs::exists(t.po() / "GLB/A.GLB.mspo-tmp.0123456789abcdef.0"));
    auto notes = apply_notes(r);
    REQUIRE(notes.size() == 2);
    CHECK(notes[0].message.find("took over") != std::string::npos);
    CHECK(notes[1].fixed);
    // Nothing stale the next time, nothing to report.
    auto next =
        apply_plan(po, ChangePlan{{{FileAction::Kind::replace, "KEY/0000002A.KEY", to_bytes("k")}}}, {});
    CHECK_FALSE(next.stale_lock);
    CHECK(apply_notes(next).empty());
}
#endif

#if !defined(_WIN32)  // POSIX only: fork() plays a run killed mid-write
TEST_CASE("change_plan: a dead run's temporary that the plan itself changes is left to the plan",
          "[change_plan]") {
    TempDir t;
    seed(t);
    const std::string temp = crash_mid_write(t.po());
    ChangePlan plan{{{FileAction::Kind::remove, "GLB/" + temp}}};
    auto r = apply_plan(Postoffice(t.po()), plan, {});
    CHECK(r.removed_temps.empty());
    CHECK(r.actions_done == 1);
    CHECK_FALSE(fs::exists(t.po() / "GLB" / temp));
    CHECK(read_manifest(*r.snapshot).files[0].before.present);  // snapshotted like any removal
}
#endif

TEST_CASE("change_plan: a run of writes is one batch: one file-system sync, folder fsyncs at the end",
          "[change_plan]") {
    TempDir t;
    seed(t);
    ChangePlan plan;
    for (int i = 0; i < 3; ++i)
        plan.actions.emplace_back(FileAction::Kind::create, "P1/F" + std::to_string(i) + ".P1",
                                  to_bytes("file " + std::to_string(i)));
    std::vector<std::string> steps;
    ApplyOptions o;
    o.crash_hook = [&](std::string_view s, std::size_t i) {
        steps.push_back(std::string(s) + "#" + std::to_string(i));
    };
    auto r = apply_plan(Postoffice(t.po()), plan, o);
    CHECK(r.actions_done == 3);
    const std::vector<std::string> expected{"lock#0",       "snapshot-write#0", "snapshot-verify#0",
                                            "write-temp#0", "write-temp#1",     "write-temp#2",
                                            "sync-batch#0", "rename#0",         "rename#1",
                                            "rename#2",     "fsync-dir#3"};
    CHECK(steps == expected);
    for (int i = 0; i < 3; ++i)
        CHECK(read_text(t.po() / ("P1/F" + std::to_string(i) + ".P1")) == "file " + std::to_string(i));
}

TEST_CASE(
    "change_plan: a batch that fails part-way ends as one by one would: earlier files done, no temporaries",
    "[change_plan]") {
    TempDir t;
    seed(t);
    ChangePlan plan;
    for (int i = 0; i < 3; ++i)
        plan.actions.emplace_back(FileAction::Kind::create, "P1/F" + std::to_string(i) + ".P1",
                                  to_bytes("new"));
    ApplyOptions o;
    o.crash_hook = [](std::string_view s, std::size_t i) {
        if (s == "write-temp" && i == 2) throw Error(Errc::io, "disk gone");
    };
    try {
        apply_plan(Postoffice(t.po()), plan, o);
        FAIL("no error");
    } catch (const Error& e) { CHECK(e.changes_made() == 2); }
    CHECK(fs::exists(t.po() / "P1/F0.P1"));
    CHECK(fs::exists(t.po() / "P1/F1.P1"));
    CHECK_FALSE(fs::exists(t.po() / "P1/F2.P1"));
    CHECK(std::distance(fs::directory_iterator(t.po() / "P1"), fs::directory_iterator()) == 2);
    // a failure of the sync itself changes nothing of the batch
    TempDir u;
    seed(u);
    o.crash_hook = [](std::string_view s, std::size_t) {
        if (s == "sync-batch") throw Error(Errc::io, "sync failed");
    };
    CHECK(test::code_of([&] { apply_plan(Postoffice(u.po()), plan, o); }) == Errc::io);
    CHECK(fs::is_empty(u.po() / "P1"));
}

namespace {
/// A plan removing `n` P1 envelopes that `t` holds (enough to be removed on threads).
ChangePlan many_removals(const TempDir& t, std::size_t n) {
    ChangePlan plan;
    for (std::size_t i = 0; i < n; ++i) {
        const std::string name = "P1/" + std::to_string(10000000 + i) + ".P1";
        write_text(t.po() / name, "envelope " + std::to_string(i));
        plan.actions.push_back({FileAction::Kind::remove, name, {}, std::nullopt});
    }
    return plan;
}

std::size_t left_in_p1(const TempDir& t) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(t.po() / "P1")) ++n;
    return n;
}
}  // namespace

TEST_CASE("change_plan: a long run of removals on threads: each once, and restored", "[change_plan]") {
    TempDir t;
    ChangePlan plan = many_removals(t, 300);
    const FileTree original = file_tree(t.po());
    std::vector<std::size_t> removes;  // the hook is called one at a time
    ApplyOptions o;
    o.crash_hook = [&](std::string_view s, std::size_t i) {
        if (s == "remove") removes.push_back(i);
    };
    const Postoffice po(t.po());
    const auto r = apply_plan(po, plan, o);
    CHECK(r.actions_done == 300);
    CHECK(left_in_p1(t) == 0);
    std::sort(removes.begin(), removes.end());
    std::vector<std::size_t> all(300);
    std::iota(all.begin(), all.end(), std::size_t{0});
    CHECK(removes == all);
    restore_snapshot(po, *r.snapshot, forced_restore());
    CHECK(file_tree(t.po()) == original);
}

TEST_CASE("change_plan: removals on threads stop at an error or interrupt, and count what they did",
          "[change_plan]") {
    for (const bool interrupt : {false, true}) {
        INFO((interrupt ? "interrupt" : "error") << " at removal 57");
        TempDir t;
        ChangePlan plan = many_removals(t, 2000);
        const FileTree original = file_tree(t.po());
        ApplyOptions o;
        o.crash_hook = [&](std::string_view s, std::size_t i) {
            if (s != "remove" || i != 57) return;
            if (interrupt)
                request_interrupt();  // removal 57 itself goes ahead
            else
                throw Error(Errc::io, "disk gone");
        };
        const Postoffice po(t.po());
        try {
            apply_plan(po, plan, o);
            FAIL("no error");
        } catch (const Error& e) {
            clear_interrupt();
            CHECK(e.code() == (interrupt ? Errc::interrupted : Errc::io));
            const std::size_t gone = 2000 - left_in_p1(t);
            CHECK(e.changes_made() == gone);  // exactly what is gone, in any order
            CHECK(gone < 2000);               // the removals not started stayed
            CHECK(fs::exists(t.po() / "P1/10000057.P1") == !interrupt);
            REQUIRE_FALSE(e.undo_snapshot().empty());
            restore_snapshot(po, e.undo_snapshot(), forced_restore());
            CHECK(file_tree(t.po()) == original);
        }
    }
}
