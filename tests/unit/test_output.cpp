#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sstream>

#include "mspo/cli/output.hpp"
#include "mspo/report/json_writer.hpp"
#include "mspo/report/log_file.hpp"
#include "test_support.hpp"

using namespace mspo;
using namespace mspo::cli;
using namespace mspo::test;

namespace {

Report many(std::size_t n) {
    Report r;
    r.tool = "demo";
    r.postoffice = "po";
    for (std::size_t i = 0; i < n; ++i)
        r.findings.push_back(make_finding(CheckId::p1_stale, "P1/" + std::to_string(i), "old"));
    r.findings.push_back(make_finding(CheckId::snapshot_file, "P1/KEPT", "kept"));  // a note
    return r;
}

}  // namespace

TEST_CASE("output: show_progress is off with --quiet, and off when stderr is not a terminal", "[output]") {
    CommonOptions c;
    c.quiet = true;
    CHECK_FALSE(show_progress(c));
    c.quiet = false;
    CHECK(show_progress(c) == (::isatty(STDERR_FILENO) != 0));
}

TEST_CASE("output: text_options follow the contract", "[output]") {
    CommonOptions c;
    TextOptions t = text_options(c);
    CHECK(t.per_check == kTextRowsPerCheck);
    CHECK_FALSE(t.notes);
    CHECK_FALSE(t.quiet);
    c.verbose = true;
    t = text_options(c);
    CHECK(t.per_check == 0);
    CHECK(t.notes);
    c.verbose = false;
    c.quiet = true;
    CHECK(text_options(c).quiet);
}

TEST_CASE("output: print_report prints text or JSON, and -v shows every row and note", "[output]") {
    const Report r = many(30);
    CommonOptions c;
    std::ostringstream text;
    print_report(c, r, text);
    CHECK(text.str().find("P1/19 ") != std::string::npos);
    CHECK(text.str().find("P1/20 ") == std::string::npos);
    CHECK(text.str().find("... and 10 more p1.stale findings") != std::string::npos);
    CHECK(text.str().find("P1/KEPT") == std::string::npos);
    CHECK(text.str().find("... 1 note not shown (-v shows it)") != std::string::npos);

    c.verbose = true;
    std::ostringstream all;
    print_report(c, r, all);
    CHECK(all.str().find("P1/29 ") != std::string::npos);
    CHECK(all.str().find("P1/KEPT") != std::string::npos);
    CHECK(all.str().find("...") == std::string::npos);

    c.verbose = false;
    c.json = true;
    std::ostringstream json;
    print_report(c, r, json, [](JsonWriter& w) { w.number("extra", 7); });
    const auto doc = nlohmann::json::parse(json.str());
    CHECK(doc["findings"].size() == 31);
    CHECK(doc["extra"] == 7);
}

TEST_CASE("output: print_report appends the report to the open log", "[output]") {
    TempDir dir("output-log");
    CommonOptions c;
    c.json = true;
    c.log = LogFile::open(dir.path / "run.log");
    std::ostringstream out;
    print_report(c, many(1), out);
    const std::string log = read_text(dir.path / "run.log");
    CHECK(log.find("demo report for po\n") != std::string::npos);  // text, even with --json
    CHECK(log.find("P1/0") != std::string::npos);
}

TEST_CASE("output: Verbose prints details and timings only with -v", "[output]") {
    CommonOptions c;
    std::ostringstream quiet;
    Verbose off(c, "demo", quiet);
    off.say("detail");
    off.phase("read");
    CHECK_FALSE(off.on());
    CHECK(quiet.str().empty());

    c.verbose = true;
    std::ostringstream err;
    Verbose v(c, "demo", err);
    v.say("read 3 accounts from \x1b[2J");
    v.phase("read");
    const std::string s = err.str();
    CHECK(s.rfind("demo: read 3 accounts from \\x1b[2J\ndemo: timing: read 0.", 0) == 0);
    CHECK(s.substr(s.size() - 3) == " s\n");
}

TEST_CASE("output: seconds_text", "[output]") {
    CHECK(seconds_text(std::chrono::milliseconds(1234)) == "1.2340");
    CHECK(seconds_text(std::chrono::steady_clock::duration::zero()) == "0.0000");
}
