#include <catch2/catch.hpp>

#include "mspo/base/error.hpp"
#include "mspo/safety/change_plan.hpp"
#include "mspo/safety/half_done.hpp"
#include "mspo/safety/restore.hpp"
#include "mspo/safety/snapshot.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using mspo::test::read_text;
using mspo::test::to_bytes;
using mspo::test::write_text;

namespace {

struct Killed : mspo::test::TempPoDir {
    fs::path snapshot;
    Manifest manifest;

    /// A two-file change by "mbgsplit" stopped (as by a kill) after its first
    /// file: KEY/00000001.KEY is new, MBG/00000001.MBG still old.
    Killed() : TempPoDir("half", {"GLB", "MBG", "KEY"}) {
        write_text(po() / "KEY/00000001.KEY", "old key");
        write_text(po() / "MBG/00000001.MBG", "old mailbag");
        ChangePlan plan;
        plan.actions.push_back(
            {FileAction::Kind::replace, "KEY/00000001.KEY", to_bytes("new key"), std::nullopt});
        plan.actions.push_back(
            {FileAction::Kind::replace, "MBG/00000001.MBG", to_bytes("new mailbag"), std::nullopt});
        ApplyOptions o;
        o.tool = "mbgsplit";
        o.crash_hook = [](std::string_view step, std::size_t i) {
            if (step == "write-temp" && i == 1) throw std::runtime_error("killed");
        };
        Postoffice p(po());
        try {
            apply_plan(p, plan, o);
            FAIL("the hook did not stop the run");
        } catch (const Error& e) {
            REQUIRE(e.changes_made() == 1);
            REQUIRE_FALSE(e.undo_snapshot().empty());
            snapshot = e.undo_snapshot();
        }
        manifest = read_manifest(snapshot);
    }

    std::string lock(std::string_view tool = "mbgsplit", std::string since = "2000-01-01T00:00:00Z") const {
        return "pid " + std::to_string(manifest.pid) + " on host " + manifest.host + ", tool " +
               std::string(tool) + ", since " + since + ", run 0123456789abcdef";
    }
    std::optional<HalfDoneRun> find(const std::string& lock_text) const {
        return find_half_done_run(Postoffice(po()), std::nullopt, lock_text, "mbgsplit");
    }
};

}  // namespace

TEST_CASE("half_done: a run stopped between two files is found, with its snapshot", "[half_done]") {
    Killed k;
    REQUIRE(read_text(k.po() / "KEY/00000001.KEY") == "new key");
    const auto run = k.find(k.lock());
    REQUIRE(run);
    CHECK(run->snapshot == k.snapshot);
    CHECK(run->files == 2);
    CHECK(run->done == 1);
    CHECK(run->as_before == 1);
    CHECK(run->other == 0);
    CHECK(run->first_done == "KEY/00000001.KEY");
    CHECK(run->first_pending == "MBG/00000001.MBG");
    CHECK(run->lock_text == k.lock());
}

TEST_CASE("half_done: a file changed since by someone else counts as neither", "[half_done]") {
    Killed k;
    write_text(k.po() / "MBG/00000001.MBG", "someone else's");
    const auto run = k.find(k.lock());
    REQUIRE(run);
    CHECK(run->done == 1);
    CHECK(run->as_before == 0);
    CHECK(run->other == 1);
}

TEST_CASE("half_done: nothing to say when the change is undone or finished", "[half_done]") {
    Killed k;
    SECTION("undone by porestore") {
        ApplyOptions o;
        o.force = true;  // the test tool's files are outside every scope row
        restore_snapshot(Postoffice(k.po()), k.snapshot, o);
        CHECK(read_text(k.po() / "KEY/00000001.KEY") == "old key");
    }
    SECTION("finished") { write_text(k.po() / "MBG/00000001.MBG", "new mailbag"); }
    CHECK_FALSE(k.find(k.lock()));
}

TEST_CASE("half_done: only the dead run's own snapshot counts", "[half_done]") {
    Killed k;
    CHECK_FALSE(k.find(k.lock("p1clean")));                           // another tool's lock
    CHECK_FALSE(k.find(k.lock("mbgsplit", "9999-01-01T00:00:00Z")));  // taken before that lock
    std::string other_host = k.lock();
    other_host.replace(other_host.find(" on host ") + 9, k.manifest.host.size(), "elsewhere.example");
    CHECK_FALSE(k.find(other_host));
    std::string other_pid = k.lock();
    other_pid.replace(4, std::to_string(k.manifest.pid).size(), "999999999");
    CHECK_FALSE(k.find(other_pid));
    CHECK_FALSE(k.find("garbage"));
    CHECK_FALSE(find_half_done_run(Postoffice(k.po()), k.path / "no-such-folder", k.lock(), "mbgsplit"));
}
