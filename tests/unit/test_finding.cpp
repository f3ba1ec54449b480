// Findings are made only from a row of the check table.
#include <catch2/catch.hpp>

#include <type_traits>

#include "mspo/base/finding.hpp"

using namespace mspo;

static_assert(!std::is_default_constructible_v<Finding>, "a finding is made only by make_finding");
static_assert(!std::is_constructible_v<Finding, CheckId>, "a finding is made only by make_finding");
static_assert(std::is_copy_constructible_v<Finding> && std::is_move_assignable_v<Finding>);

TEST_CASE("finding: make_finding takes id and severity from the row", "[finding]") {
    const Finding f = make_finding(CheckId::access_bad_chars, "GLB/ACCESS2.GLB", 2, 140, "bad byte 0x01");
    CHECK(f.code == CheckId::access_bad_chars);
    CHECK(f.check == "access.bad-chars");
    CHECK(f.severity == Severity::error);
    CHECK(f.file == "GLB/ACCESS2.GLB");
    CHECK(f.record == 2u);
    CHECK(f.offset == 140u);
    CHECK(f.message == "bad byte 0x01");
    CHECK(f.action.empty());
    CHECK_FALSE(f.fixed);

    const Finding q = make_finding(CheckId::p1_queued, "P1/0000AB12.P1", "kept");
    CHECK(q.check == "p1.queued");
    CHECK(q.severity == Severity::warning);
    CHECK_FALSE(q.record);
    CHECK_FALSE(q.offset);
    CHECK(make_finding(CheckId::restore_file, "GLB/X", "m").severity == Severity::info);
}

TEST_CASE("finding: every row makes findings with its defaults", "[finding]") {
    for (const auto& row : check_table()) {
        const Finding f = make_finding(row.code, "x", "y");
        INFO(row.id);
        CHECK(f.check == row.id);
        CHECK(f.severity == row.severity);
    }
}

TEST_CASE("finding: has_unfixed_damage counts unfixed errors only", "[finding]") {
    Findings fs;
    CHECK_FALSE(has_unfixed_damage(fs));
    fs.push_back(make_finding(CheckId::p1_queued, "P1/A", "warning"));
    fs.push_back(make_finding(CheckId::snapshot_file, "GLB/A", "note"));
    CHECK_FALSE(has_unfixed_damage(fs));
    fs.push_back(make_finding(CheckId::p1_stale, "P1/B", "stale"));
    CHECK(has_unfixed_damage(fs));
    fs.back().fixed = true;
    CHECK_FALSE(has_unfixed_damage(fs));
    fs.back().fixed = false;
    fs.back().severity = Severity::warning;  // a tool may lower the default (kept under --force)
    CHECK_FALSE(has_unfixed_damage(fs));
    CHECK(std::string(severity_name(Severity::warning)) == "warning");
}
