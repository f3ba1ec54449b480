// common/checks/counter_repair.cpp: pocheck --fix's repairs of CONTROL.GLB's
// counters and the MAI reference counters, planned and applied for real:
// run 2 finds nothing, and what must not be lowered is left with a reason.
#include <catch2/catch.hpp>

#include "mspo/checks/counter_repair.hpp"
#include "mspo/format/control.hpp"
#include "mspo/format/mai.hpp"
#include "pogen_fixture.hpp"

using namespace mspo;
using pogen_fixture::TempPostoffice;

namespace {

// Enough live and freed headers for the KEY model test to support our model.
constexpr const char* kEvidenceSpec =
    "user ADMIN mail=6 freed=6\nuser ALICE mail=2\nuser BOB mail=6 freed=6 freed-at=start\n";

void set_counter(const TempPostoffice& t, std::uint32_t mai, std::uint16_t count) {
    const auto path = t.path(mai_relpath(mai));
    Bytes b = mspo::test::read_bytes(path);
    set_refcount(b, count);
    mspo::test::write_bytes(path, b);
}

std::uint16_t counter_of(const TempPostoffice& t, std::uint32_t mai) {
    return read_mai_refcount(t.path(mai_relpath(mai)));
}

ApplyResult apply(const TempPostoffice& t, const CounterRepair& r) {
    ApplyOptions o;
    o.tool = "pocheck";
    o.snapshot_dir = t.root().parent_path() / (t.root().filename().string() + ".snapshots");
    return apply_plan(t.po(), r.plan, o);
}

std::size_t count_check(const Findings& f, std::string_view id) {
    std::size_t n = 0;
    for (const auto& x : f)
        if (x.check == id) ++n;
    return n;
}

struct SnapshotDirCleanup {
    const TempPostoffice& t;
    ~SnapshotDirCleanup() {
        std::error_code ec;
        fs::remove_all(t.root().parent_path() / (t.root().filename().string() + ".snapshots"), ec);
    }
};

}  // namespace

TEST_CASE("counter_repair: a clean postoffice plans nothing", "[counter_repair]") {
    TempPostoffice t(kEvidenceSpec);
    const CounterRepair r = plan_counter_repairs(t.po(), {});
    CHECK(r.findings.empty());
    CHECK(r.plan.actions.empty());
    CHECK_FALSE(r.refusal);
}

TEST_CASE("counter_repair: MAI counters raised and lowered to the live count", "[counter_repair]") {
    TempPostoffice t(kEvidenceSpec);
    SnapshotDirCleanup cleanup{t};
    const MailScan scan = scan_mailbags(t.po());
    REQUIRE(scan.refs.size() >= 2);
    const std::uint32_t low = scan.refs.begin()->first;
    const std::uint32_t high = std::next(scan.refs.begin())->first;
    set_counter(t, low, 0);
    set_counter(t, high, 7);
    const Bytes before = mspo::test::read_bytes(t.path(mai_relpath(high)));

    const CounterRepair r = plan_counter_repairs(t.po(), {});
    CHECK_FALSE(r.refusal);
    CHECK(r.fit.verdict == KeyModelFit::Verdict::supported);
    CHECK(r.mai_raised == 1);
    CHECK(r.mai_lowered == 1);
    CHECK(r.left == 0);
    REQUIRE(r.plan.actions.size() == 2);
    apply(t, r);
    CHECK(counter_of(t, low) == scan.refs.at(low));
    CHECK(counter_of(t, high) == scan.refs.at(high));
    // Only the two bytes of the counter changed.
    Bytes after = mspo::test::read_bytes(t.path(mai_relpath(high)));
    REQUIRE(after.size() == before.size());
    after[kMaiRefcountOffset] = before[kMaiRefcountOffset];
    after[kMaiRefcountOffset + 1] = before[kMaiRefcountOffset + 1];
    CHECK(after == before);
    // Run 2 finds nothing.
    CHECK(plan_counter_repairs(t.po(), {}).findings.empty());
}

TEST_CASE("counter_repair: a counter a deleted slot may explain is not lowered", "[counter_repair]") {
    TempPostoffice t(kEvidenceSpec);
    MailScanOptions with_deleted;
    with_deleted.deleted_refs = true;
    const MailScan scan = scan_mailbags(t.po(), with_deleted);
    REQUIRE_FALSE(scan.deleted_refs.empty());
    // A freed slot's MAI brought back with counter 1: the live count is 0,
    // but the slot marked deleted may be live under another KEY reading.
    const std::uint32_t mai = scan.deleted_refs.begin()->first;
    Bytes m(32, 0x5A);
    set_refcount(m, 1);
    mspo::test::write_bytes(t.path(mai_relpath(mai)), m);
    const CounterRepair r = plan_counter_repairs(t.po(), {});
    REQUIRE(count_check(r.findings, "mai.refcount") == 1);
    CHECK(r.plan.actions.empty());
    CHECK(r.left == 1);
    CHECK(r.findings[0].action.find("marked deleted") != std::string::npos);
}

TEST_CASE("counter_repair: no counter is lowered while a mailbag is missing", "[counter_repair]") {
    TempPostoffice t(kEvidenceSpec);
    const MailScan scan = scan_mailbags(t.po());
    const std::uint32_t mai = scan.refs.begin()->first;
    set_counter(t, mai, 5);
    // Some account's mailbag goes; its KEY stays.
    fs::path gone;
    for (const auto& e : fs::directory_iterator(t.path("MBG")))
        if (e.path().filename().string().size() == 12 &&
            fs::exists(t.path("KEY/" + e.path().stem().string() + ".KEY")))
            gone = e.path();
    REQUIRE_FALSE(gone.empty());
    fs::remove(gone);
    const CounterRepair r = plan_counter_repairs(t.po(), {});
    bool left = false;
    for (const auto& f : r.findings)
        if (f.file == mai_relpath(mai)) left = f.action.find("could not be read") != std::string::npos;
    CHECK(left);
    for (const auto& a : r.plan.actions) CHECK(a.relpath != mai_relpath(mai));
}

TEST_CASE("counter_repair: MAI counters are refused without KEY model support", "[counter_repair]") {
    TempPostoffice t("user ADMIN mail=2\nuser ALICE mail=1\n");  // no freed slot: too little evidence
    SnapshotDirCleanup cleanup{t};
    const std::uint32_t mai = scan_mailbags(t.po()).refs.begin()->first;
    set_counter(t, mai, 3);
    CounterRepair r = plan_counter_repairs(t.po(), {});
    REQUIRE(r.refusal);
    CHECK(r.refusal->find("inconclusive") != std::string::npos);
    CHECK(r.plan.actions.empty());
    CHECK(r.mai_lowered == 0);

    CounterRepairOptions force;
    force.force = true;
    r = plan_counter_repairs(t.po(), force);
    CHECK_FALSE(r.refusal);
    CHECK(count_check(r.findings, "safety.forced") == 1);
    REQUIRE(r.plan.actions.size() == 1);
    apply(t, r);
    CHECK(counter_of(t, mai) == 1);
}

TEST_CASE("counter_repair: CONTROL.GLB's counters raised above every number in use", "[counter_repair]") {
    TempPostoffice t(kEvidenceSpec);
    SnapshotDirCleanup cleanup{t};
    auto old = ControlFile::from_bytes(mspo::test::read_bytes(t.path("GLB/CONTROL.GLB")));
    REQUIRE(old);
    const MailScan scan = scan_mailbags(t.po());
    const std::uint32_t highest_live = scan.refs.rbegin()->first;
    old->set_next_mailbag(0);  // both counters reset to zeros (KB Q117738)
    old->set_next_letter(0);
    mspo::test::write_bytes(t.path("GLB/CONTROL.GLB"), old->to_bytes());
    const CounterRepair r = plan_counter_repairs(t.po(), {});
    REQUIRE(count_check(r.findings, "control.counter-low") == 2);
    CHECK(r.counters_raised == 2);
    REQUIRE(r.plan.actions.size() == 1);
    CHECK(r.plan.actions[0].relpath == "GLB/CONTROL.GLB");
    CHECK(r.plan.actions[0].repairs.size() == 2);
    apply(t, r);
    const auto now = ControlFile::from_bytes(mspo::test::read_bytes(t.path("GLB/CONTROL.GLB")));
    REQUIRE(now);
    CHECK(now->next_letter() > highest_live);
    CHECK(now->next_mailbag() > 2);  // above ADMIN, ALICE and BOB
    CHECK(plan_counter_repairs(t.po(), {}).findings.empty());
}

TEST_CASE("counter_repair: a counter whose class uses FFFFFFFF is left", "[counter_repair]") {
    TempPostoffice t(kEvidenceSpec);
    Bytes m(16, 0x5A);
    set_refcount(m, 0);
    mspo::test::write_bytes(t.path(mai_relpath(0xFFFFFFFFu)), m);
    const CounterRepair r = plan_counter_repairs(t.po(), {});
    REQUIRE(count_check(r.findings, "control.counter-low") == 1);
    CHECK(r.plan.actions.empty());
    CHECK(r.left == 1);
    CHECK(r.findings[0].action.find("FFFFFFFF") != std::string::npos);
}
