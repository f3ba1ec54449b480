#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "mspo/base/error.hpp"
#include "mspo/report/json_writer.hpp"
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
    CHECK(text.find("name \\x1b[2J\\x07") != std::string::npos);
}

TEST_CASE("report: C1 controls and bytes that are not UTF-8 never reach the terminal", "[report]") {
    Report r = sample();
    r.postoffice = "po\xc2\x9b";
    r.findings[0].file = "P1/\xff\x1b.P1";
    r.findings[1].action = "remove \xc2\x85";
    const std::string text = render_text(r);
    CHECK(text.find("demo report for po\\u009b\n") != std::string::npos);
    CHECK(text.find("P1/\\xff\\x1b.P1") != std::string::npos);
    CHECK(text.find("[not done: remove \\u0085]") != std::string::npos);
    CHECK(finding_line("demo", r.findings[0], false).find("P1/\\xff\\x1b.P1") != std::string::npos);
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

TEST_CASE("report: JSON names a file that is not UTF-8 so that it identifies the file", "[report]") {
    Report r = sample();
    r.findings[0].file = "P1/\xff.P1";
    r.postoffice = "po\xfe";
    const auto doc = nlohmann::json::parse(render_json(r));
    CHECK(doc["postoffice"] == "po\\xfe");
    CHECK(doc["postoffice_hex"] == "706ffe");
    CHECK(doc["findings"][0]["file"] == "P1/\\xff.P1");
    CHECK(doc["findings"][0]["file_hex"] == "50312fff2e5031");
    CHECK_FALSE(doc["findings"][1].contains("file_hex"));
}

TEST_CASE("report: JSON is laid out as before (nlohmann's dump(2)), with extra members last", "[report]") {
    Report r = sample();
    r.snapshot = "po.snapshots/x.tar.gz";
    r.findings[0].action = "truncate";
    r.findings[0].fixed = true;
    std::ostringstream out;
    write_json(out, r, [](JsonWriter& w) {
        w.key("accounts");
        w.begin_array();
        w.end_array();
    });
    const auto doc = nlohmann::ordered_json::parse(out.str());
    CHECK(out.str() == doc.dump(2) + "\n");
    std::vector<std::string> keys;
    for (const auto& [k, v] : doc.items()) keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"tool", "postoffice", "dry_run", "snapshot", "summary", "findings",
                                           "counts", "accounts"});
    CHECK(doc["findings"][0]["fixed"] == true);
    CHECK(doc["counts"]["fixed"] == 1);
}

TEST_CASE("report: JSON lists every finding, text shows 20 per check and counts the rest", "[report]") {
    Report r;
    r.tool = "demo";
    r.postoffice = "po";
    for (std::uint64_t i = 0; i < 25; ++i) r.findings.push_back(damage("access.bad-chars", "F", i, i, "bad"));
    r.findings.push_back(damage("access.count-mismatch", "G", std::nullopt, std::nullopt, "counts"));
    for (std::uint64_t i = 0; i < 21; ++i)
        r.findings.push_back(damage("access.bad-mailbag", "H", i, i, "zero"));

    TextOptions limited;
    limited.per_check = kTextRowsPerCheck;
    const std::string text = render_text(r, limited);
    CHECK(text.find("error     access.bad-chars       F         19      19  bad\n") != std::string::npos);
    CHECK(text.find("access.bad-chars       F         20") == std::string::npos);
    CHECK(text.find("access.count-mismatch") != std::string::npos);
    CHECK(text.find("\n... and 5 more access.bad-chars findings (-v or --json lists all)\n"
                    "... and 1 more access.bad-mailbag finding (-v or --json lists all)\n\n"
                    "result: 47 findings (47 errors, 0 warnings, 0 notes), 0 fixed\n") != std::string::npos);
    CHECK(render_text(r).find("... and") == std::string::npos);  // TextOptions{} shows all
    CHECK(nlohmann::json::parse(render_json(r))["findings"].size() == 47);

    limited.quiet = true;
    const std::string quiet = render_text(r, limited);
    CHECK(quiet.find("... and 5 more access.bad-chars findings") != std::string::npos);
    CHECK(quiet.find("result:") == std::string::npos);

    std::ostringstream lines;
    write_finding_lines(lines, "demo", r.findings, false, limited);
    CHECK(lines.str().find("demo: error: access.bad-chars: F: record 19: offset 19: bad\n") !=
          std::string::npos);
    CHECK(lines.str().find("record 20: offset 20") == std::string::npos);
    CHECK(lines.str().find("demo: ... and 5 more access.bad-chars findings") != std::string::npos);
}

TEST_CASE("report: notes without an action are hidden unless asked for, and counted", "[report]") {
    Report r = sample();
    Finding note = damage("snapshot.file", "P1/A.P1", std::nullopt, std::nullopt, "listed");
    note.severity = Severity::info;
    r.findings.push_back(note);
    note.action = "restore";
    note.fixed = true;
    note.file = "P1/B.P1";
    r.findings.push_back(note);
    TextOptions no_notes;
    no_notes.notes = false;
    const std::string text = render_text(r, no_notes);
    CHECK(text.find("P1/A.P1") == std::string::npos);
    CHECK(text.find("P1/B.P1") != std::string::npos);  // a note with an action says what was done
    CHECK(text.find("... 1 note not shown (-v shows it)\n") != std::string::npos);
    CHECK(text.find("(2 errors, 0 warnings, 2 notes), 1 fixed") != std::string::npos);
    CHECK(render_text(r).find("P1/A.P1") != std::string::npos);
}

TEST_CASE("report: has_text", "[report]") {
    Report r;
    TextOptions quiet;
    quiet.quiet = true;
    CHECK(has_text(r, {}));
    CHECK_FALSE(has_text(r, quiet));
    CHECK(has_text(sample(), quiet));
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
