#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "mspo/base/error.hpp"
#include "mspo/checks/p1.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using namespace mspo::test;

namespace {

constexpr std::int64_t kSec = 1'000'000'000;
constexpr std::int64_t kNow = 1'800'000'000LL * kSec;

P1Entry entry(const std::string& name, P1Kind kind, std::int64_t age_s, std::uint64_t size = 10) {
    P1Entry e;
    e.name = name;
    e.relpath = "P1/" + name;
    e.kind = kind;
    e.size = size;
    e.mtime_ns = kNow - age_s * kSec;
    return e;
}

P1Policy policy() {
    P1Policy p;
    p.now_ns = kNow;
    return p;
}

bool removes(const P1Cleanup& c, const std::string& rel) {
    return std::find(c.remove.begin(), c.remove.end(), rel) != c.remove.end();
}

}  // namespace

TEST_CASE("p1 plan: ages on the --days boundary", "[p1]") {
    P1Scan scan;
    const std::int64_t two_days = 2 * 86400;
    scan.entries = {entry("00000001.P1", P1Kind::file, two_days - 1),
                    entry("00000002.P1", P1Kind::file, two_days),
                    entry("00000003.P1", P1Kind::file, two_days + 1),
                    entry("00000004.P1", P1Kind::file, -3600)};  // dated in the future
    scan.entries.push_back(entry("POPULATE.MSM", P1Kind::populate, 400 * 86400));
    auto c = plan_p1_cleanup(scan, {}, policy());
    CHECK_FALSE(removes(c, "P1/00000001.P1"));
    CHECK_FALSE(removes(c, "P1/00000002.P1"));  // exactly N days is not older than N days
    CHECK(removes(c, "P1/00000003.P1"));
    CHECK_FALSE(removes(c, "P1/00000004.P1"));
    CHECK_FALSE(removes(c, "P1/POPULATE.MSM"));  // never, however old
    CHECK(c.remove.size() == 1);
    CHECK(c.remove_bytes == 10);
    CHECK(c.kept_files == 3);
}

TEST_CASE("p1 plan: --days changes the threshold", "[p1]") {
    P1Scan scan;
    scan.entries = {entry("00000001.P1", P1Kind::file, 3 * 3600)};
    auto p = policy();
    CHECK(plan_p1_cleanup(scan, {}, p).remove.empty());
    p.max_age = std::chrono::hours(1);
    CHECK(plan_p1_cleanup(scan, {}, p).remove.size() == 1);
}

TEST_CASE("p1 plan: fresh and stale locks", "[p1]") {
    P1Scan scan;
    scan.entries = {entry("0000002A.0LK", P1Kind::lock, 60), entry("LOCKP1ID.PBB", P1Kind::lock, 3600),
                    entry("0000002B.0LK", P1Kind::lock, 7200)};
    std::map<std::string, std::string> held{{"P1/0000002B.0LK", "pid 77"}};
    auto c = plan_p1_cleanup(scan, {}, policy(), held);
    CHECK(c.fresh_locks == std::vector<std::string>{"P1/0000002A.0LK", "P1/0000002B.0LK"});
    CHECK(c.remove == std::vector<std::string>{"P1/LOCKP1ID.PBB"});
    int fresh = 0, stale = 0;
    for (const auto& f : c.findings) {
        fresh += f.check == "p1.lock-fresh";
        stale += f.check == "p1.lock-stale";
    }
    CHECK(fresh == 2);
    CHECK(stale == 1);
}

TEST_CASE("p1 plan: queued envelopes are kept unless --include-queued", "[p1]") {
    P1Scan scan;
    scan.entries = {entry("0000AB12.P1", P1Kind::file, 5 * 86400),
                    entry("0000AB13.P1", P1Kind::file, 5 * 86400)};
    std::map<std::uint32_t, std::uint64_t> queued{{0xAB12, 3}};
    auto c = plan_p1_cleanup(scan, queued, policy());
    CHECK(c.remove == std::vector<std::string>{"P1/0000AB13.P1"});
    REQUIRE(std::any_of(c.findings.begin(), c.findings.end(), [](const Finding& f) {
        return f.check == "p1.queued" && f.file == "P1/0000AB12.P1" && f.severity == Severity::warning;
    }));
    auto p = policy();
    p.include_queued = true;
    CHECK(plan_p1_cleanup(scan, queued, p).remove.size() == 2);
}

TEST_CASE("p1 plan: missing P1 and POPULATE.MSM are re-created", "[p1]") {
    P1Scan missing;
    missing.p1_missing = true;
    missing.populate_missing = true;
    auto c = plan_p1_cleanup(missing, {}, policy());
    CHECK(c.create_p1);
    CHECK(c.create_populate);
    P1Scan no_populate;
    no_populate.populate_missing = true;
    auto d = plan_p1_cleanup(no_populate, {}, policy());
    CHECK_FALSE(d.create_p1);
    CHECK(d.create_populate);
    CHECK(d.findings.at(0).check == "p1.populate-missing");
}

TEST_CASE("p1 envelope_number", "[p1]") {
    CHECK(envelope_number("0000AB12.P1") == 0xAB12u);
    CHECK(envelope_number("0000ab12.pbc") == 0xAB12u);
    CHECK_FALSE(envelope_number("0000AB12.0LK"));
    CHECK_FALSE(envelope_number("POPULATE.MSM"));
    CHECK_FALSE(envelope_number("0000AB1Z.P1"));
}

TEST_CASE("p1 scan: classifies entries and never follows links", "[p1]") {
    TempDir t("p1");
    fs::create_directories(t.path / "po" / "p1" / "SUB");
    std::ofstream(t.path / "po" / "p1" / "populate.msm").put('x');
    std::ofstream(t.path / "po" / "p1" / "0000AB12.P1") << "envelope";
    std::ofstream(t.path / "po" / "p1" / "00000001.0LK").put('l');
    std::ofstream(t.path / "outside.txt") << "outside";
    fs::create_symlink(t.path / "outside.txt", t.path / "po" / "p1" / "0000FFFF.P1");
    Postoffice po(t.path / "po");
    auto scan = scan_p1(po);
    CHECK_FALSE(scan.populate_missing);
    CHECK(scan.p1_relpath == "p1");
    std::map<std::string, P1Kind> kinds;
    for (const auto& e : scan.entries) kinds[e.name] = e.kind;
    CHECK(kinds["populate.msm"] == P1Kind::populate);
    CHECK(kinds["0000AB12.P1"] == P1Kind::file);
    CHECK(kinds["00000001.0LK"] == P1Kind::lock);
    CHECK(kinds["0000FFFF.P1"] == P1Kind::not_regular);
    CHECK(kinds["SUB"] == P1Kind::not_regular);
}

TEST_CASE("p1 scan: a P1 that is a link is refused", "[p1]") {
    TempDir t("p1");
    fs::create_directories(t.path / "po");
    fs::create_directories(t.path / "elsewhere");
    fs::create_directory_symlink(t.path / "elsewhere", t.path / "po" / "P1");
    Postoffice po(t.path / "po");
    try {
        scan_p1(po);
        FAIL("no error");
    } catch (const Error& e) { CHECK(e.code() == Errc::unsafe_path); }
}

TEST_CASE("p1 scan: missing P1", "[p1]") {
    TempDir t("p1");
    fs::create_directories(t.path / "po");
    auto scan = scan_p1(Postoffice(t.path / "po"));
    CHECK(scan.p1_missing);
    CHECK(scan.populate_missing);
}
