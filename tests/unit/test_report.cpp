#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "mspo/cli/exit_codes.hpp"
#include "mspo/base/error.hpp"
#include "mspo/report/report.hpp"
#include "test_support.hpp"

using namespace mspo;
using namespace mspo::test;

namespace {

Finding damage(std::string_view check, std::string file, std::optional<std::uint64_t> record,
               std::optional<std::uint64_t> offset, std::string message) {
    const CheckRow* row = find_check_row(check);
    REQUIRE(row != nullptr);
    return make_finding(row->code, std::move(file), record, offset, std::move(message));
}

Report sample() {
    Report r;
    r.tool = "demo";
    r.postoffice = "po";
    r.summary = {{"accounts", "3"}, {"deleted", "1"}};
    r.findings.push_back(damage("access.bad-chars", "GLB/ACCESS2.GLB", 2, 140, "bad byte 0x01"));
    r.findings.push_back(
        damage("access.count-mismatch", "GLB/ACCESS.GLB", std::nullopt, std::nullopt, "counts"));
    return r;
}

}  // namespace

TEST_CASE("report: text has aligned columns, one line per finding", "[report]") {
    const std::string text = render_text(sample());
    CHECK(text ==
          "demo report for po\n"
          "  accounts: 3\n"
          "  deleted:  1\n"
          "\n"
          "SEVERITY  CHECK                  FILE             RECORD  OFFSET  MESSAGE\n"
          "error     access.bad-chars       GLB/ACCESS2.GLB       2     140  bad byte 0x01\n"
          "error     access.count-mismatch  GLB/ACCESS.GLB        -       -  counts\n"
          "\n"
          "result: 2 findings (2 errors, 0 warnings, 0 notes), 0 fixed\n");
}

TEST_CASE("report: a clean report says so", "[report]") {
    Report r;
    r.tool = "demo";
    r.postoffice = "po";
    CHECK(render_text(r) == "demo report for po\n\nresult: no problems found\n");
    CHECK(render_text(r, {true}).empty());
}

TEST_CASE("report: quiet text is the finding rows only", "[report]") {
    const std::string text = render_text(sample(), {true});
    CHECK(text ==
          "error  access.bad-chars       GLB/ACCESS2.GLB  2  140  bad byte 0x01\n"
          "error  access.count-mismatch  GLB/ACCESS.GLB   -    -  counts\n");
}

TEST_CASE("report: actions, snapshot and dry run", "[report]") {
    Report r = sample();
    r.snapshot = "po.snapshots/x.tar.gz";
    r.findings[0].action = "truncate";
    r.findings[0].fixed = true;
    r.findings[1].action = "rebuild";
    std::string text = render_text(r);
    CHECK(text.find("snapshot: po.snapshots/x.tar.gz\n") != std::string::npos);
    CHECK(text.find("bad byte 0x01 [fixed: truncate]\n") != std::string::npos);
    CHECK(text.find("counts [not done: rebuild]\n") != std::string::npos);
    CHECK(text.find(", 1 fixed\n") != std::string::npos);
    r.dry_run = true;
    r.findings[0].fixed = false;
    text = render_text(r);
    CHECK(text.find("dry run: nothing was written\n") != std::string::npos);
    CHECK(text.find("counts [would: rebuild]\n") != std::string::npos);
}

TEST_CASE("report: control characters never reach the terminal", "[report]") {
    Report r = sample();
    r.findings[0].message = "name \x1b[2J\x07";
    const std::string text = render_text(r);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find("name ?[2J?") != std::string::npos);
}

TEST_CASE("report: finding_line", "[report]") {
    const Report r = sample();
    CHECK(finding_line("demo", r.findings[0], false) ==
          "demo: error: access.bad-chars: GLB/ACCESS2.GLB: record 2: offset 140: bad byte 0x01");
    CHECK(finding_line("demo", r.findings[1], false) ==
          "demo: error: access.count-mismatch: GLB/ACCESS.GLB: counts");
}

TEST_CASE("report: JSON holds the same content", "[report]") {
    Report r = sample();
    r.summary.emplace_back("name", "007");
    const auto doc = nlohmann::json::parse(render_json(r));
    CHECK(doc["tool"] == "demo");
    CHECK(doc["postoffice"] == "po");
    CHECK(doc["dry_run"] == false);
    CHECK(doc["snapshot"].is_null());
    CHECK(doc["summary"]["accounts"] == 3);
    CHECK(doc["summary"]["name"] == "007");
    REQUIRE(doc["findings"].size() == 2);
    CHECK(doc["findings"][0]["check"] == "access.bad-chars");
    CHECK(doc["findings"][0]["severity"] == "error");
    CHECK(doc["findings"][0]["record"] == 2);
    CHECK(doc["findings"][0]["offset"] == 140);
    CHECK(doc["findings"][1]["record"].is_null());
    CHECK(doc["counts"]["errors"] == 2);
    CHECK(render_json(r).back() == '\n');
}

TEST_CASE("report: JSON survives bytes that are not UTF-8", "[report]") {
    Report r = sample();
    r.findings[0].file = "GLB/\xff.GLB";
    const auto doc = nlohmann::json::parse(render_json(r));
    CHECK(doc["findings"][0]["file"] == "GLB/\xef\xbf\xbd.GLB");
}

TEST_CASE("report: append_log adds a timestamped transcript", "[report]") {
    const auto log =
        std::filesystem::temp_directory_path() / ("mspo-test-report-" + std::to_string(::getpid()) + ".log");
    std::filesystem::remove(log);
    append_log(log, sample());
    append_log_text(log, "demo", "demo: error: boom");
    const std::string text = read_text(log);
    CHECK(text.rfind("==== ", 0) == 0);
    CHECK(text.find("Z demo po\ndemo report for po\n") != std::string::npos);
    CHECK(text.find("Z demo\ndemo: error: boom\n\n") != std::string::npos);
    std::filesystem::remove(log);
    CHECK_THROWS_AS(
        append_log(std::filesystem::temp_directory_path() / "no-such-dir-mspo" / "x.log", sample()), Error);
}

TEST_CASE("report: exit_code_for", "[report]") {
    Report r;
    CHECK(cli::exit_code_for(r) == 0);
    Finding warn = make_finding(CheckId::p1_queued, "P1/00000001.P1", "kept");  // a warning by default
    REQUIRE(warn.severity == Severity::warning);
    r.findings.push_back(warn);
    CHECK(cli::exit_code_for(r) == 0);
    Finding fixed = make_finding(CheckId::p1_stale, "P1/00000002.P1", "removed");
    fixed.fixed = true;
    r.findings.push_back(fixed);
    CHECK(cli::exit_code_for(r) == 1);
    r.findings.push_back(make_finding(CheckId::size_rule, "GLB/MASTER.GLB", "short"));
    CHECK(cli::exit_code_for(r) == 5);
    r.findings.erase(r.findings.begin() + 1);
    CHECK(cli::exit_code_for(r) == 4);
}
