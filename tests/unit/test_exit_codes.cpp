#include <catch2/catch.hpp>

#include <string>

#include "mspo/base/error.hpp"
#include "mspo/cli/exit_codes.hpp"
#include "mspo/report/report.hpp"

using namespace mspo;
using namespace mspo::cli;

// (moved here from test_report.cpp, assertions unchanged)
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

TEST_CASE("exit_codes: only errors set bits, warnings and notes never, fixed or not", "[exit_codes]") {
    Findings f = {make_finding(CheckId::p1_queued, "P1/A.P1", "kept"),
                  make_finding(CheckId::restore_file, "P1/B.P1", "restored")};
    REQUIRE(f[0].severity == Severity::warning);
    REQUIRE(f[1].severity == Severity::info);
    CHECK(exit_code_for(f) == kClean);
    f[0].fixed = f[1].fixed = true;
    CHECK(exit_code_for(f) == kClean);
    f.push_back(make_finding(CheckId::p1_stale, "P1/C.P1", "removed"));
    f.back().fixed = true;
    CHECK(exit_code_for(f) == kFixed);
    f[0].severity = Severity::error;    // a tool may change the severity: then it counts
    CHECK(exit_code_for(f) == kFixed);  // ... and it was fixed
    f[0].fixed = false;
    CHECK(exit_code_for(f) == (kFixed | kRemain));
}

TEST_CASE("exit_codes: errors by code", "[exit_codes]") {
    CHECK(exit_code_for(Errc::usage) == 16);
    CHECK(exit_code_for(Errc::interrupted) == 32);
    for (Errc c : {Errc::io, Errc::not_found, Errc::truncated, Errc::size_rule, Errc::bad_value, Errc::in_use,
                   Errc::snapshot, Errc::unsafe_path, Errc::changed, Errc::not_postoffice})
        CHECK(exit_code_for(c) == 8);
}

TEST_CASE("exit_codes: a model mismatch is an operational refusal (8, and 9 only after changes)",
          "[exit_codes]") {
    CHECK(exit_code_for(Errc::model_mismatch) == kOperational);
    CHECK(std::string(errc_name(Errc::model_mismatch)) == "model_mismatch");
    const Error e(Errc::model_mismatch, "NME/ADMIN.NME: 41 of 44 records do not fit our NME model",
                  "/po/NME/ADMIN.NME");
    CHECK(exit_code_for(e) == 8);
}

TEST_CASE("exit_codes: an error after changes also sets 1 (9, 33)", "[exit_codes]") {
    const Error io(Errc::io, "write failed", "/po/P1/X");
    CHECK(exit_code_for(io) == 8);
    CHECK(exit_code_for(Error::after_changes(io, 0, "")) == 8);
    const Error after = Error::after_changes(io, 3, "/snaps/s.tar.gz");
    CHECK(exit_code_for(after) == 9);
    CHECK(std::string(after.what()).find("3 changes were made") != std::string::npos);
    const Error stop(Errc::interrupted, "interrupted");
    CHECK(exit_code_for(stop) == 32);
    CHECK(exit_code_for(Error::after_changes(stop, 1, "/snaps/s.tar.gz")) == 33);
}

TEST_CASE("exit_codes: the table says what the contract says", "[exit_codes]") {
    const std::string t = exit_code_table();
    for (const char* line :
         {"   0  no problem found\n", "   1  problems were found and all of them fixed\n",
          "   4  problems remain", "   5  1 + 4", "   8  operational error",
          "   9  1 + 8: operational error after some changes were made", "  16  usage error\n",
          "  32  interrupted (33 = 32 + 1", "warnings and notes never do"})
        CHECK(t.find(line) != std::string::npos);
    for (std::size_t start = 0; start < t.size();) {
        const auto end = t.find('\n', start);
        CHECK(end - start <= 79);
        start = end + 1;
    }
}
