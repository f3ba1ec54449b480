// tools/palfix/palfix.cpp: fix() (the run without its printing, as pocheck
// --fix calls it) and run() (fix() + the report + the exit code), on
// postoffices pogen writes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "mspo/base/error.hpp"
#include "mspo/base/finding.hpp"
#include "mspo/cli/exit_codes.hpp"
#include "mspo/pogen/spec.hpp"
#include "palfix.hpp"
#include "pogen_fixture.hpp"
#include "test_support.hpp"

using namespace mspo;
using pogen_fixture::TempPostoffice;

namespace {

palfix::Options options_for(const TempPostoffice& po, const std::filesystem::path& snapshots, bool dry_run) {
    palfix::Options o;
    o.common.postoffice = po.root();
    o.common.snapshot_dir = snapshots;
    o.common.dry_run = dry_run;
    return o;
}

std::size_t fixed_count(const Report& report) { return count_findings(report.findings).fixed; }

}  // namespace

TEST_CASE("palfix fix: -n predicts, the run applies, the second run finds nothing", "[palfix]") {
    // A PAL entry for no account: removed from the PAL and quarantined.
    TempPostoffice po(pogen_fixture::kSmallSpec, {"pal-account-gone:nobody"});
    test::TempDir snapshots("palfix-snap");
    std::ostringstream err;

    const auto before = test::read_bytes(po.path("NME/00000000.NME"));
    const palfix::Result predicted = palfix::fix(options_for(po, snapshots.path, true), err, false);
    CHECK(predicted.report.tool == "palfix");
    CHECK(predicted.report.dry_run);
    CHECK_FALSE(predicted.report.snapshot);
    CHECK(fixed_count(predicted.report) == 0);
    REQUIRE(predicted.quarantine);
    CHECK_FALSE(predicted.quarantine->file);  // named after the snapshot at run time
    CHECK_FALSE(predicted.quarantine->written);
    REQUIRE(predicted.quarantine->entries.size() == 1);
    CHECK(predicted.quarantine->entries[0].file == "NME/00000000.NME");
    CHECK(test::read_bytes(po.path("NME/00000000.NME")) == before);
    CHECK(std::filesystem::is_empty(snapshots.path));
    CHECK(cli::exit_code_for(predicted.report) == cli::kRemain);

    const palfix::Result done = palfix::fix(options_for(po, snapshots.path, false), err, false);
    CHECK_FALSE(done.report.dry_run);
    REQUIRE(done.report.snapshot);
    CHECK(std::filesystem::exists(*done.report.snapshot));
    CHECK(fixed_count(done.report) >= 1);
    REQUIRE(done.quarantine);
    REQUIRE(done.quarantine->file);
    CHECK(done.quarantine->written);
    CHECK(std::filesystem::exists(*done.quarantine->file));
    CHECK(done.quarantine->entries.size() == 1);
    CHECK(test::read_bytes(po.path("NME/00000000.NME")) != before);
    CHECK(cli::exit_code_for(done.report) == cli::kFixed);
    CHECK(err.str().empty());  // no progress asked for

    const palfix::Result again = palfix::fix(options_for(po, snapshots.path, false), err, false);
    CHECK_FALSE(again.quarantine);
    CHECK_FALSE(again.report.snapshot);
    CHECK(cli::exit_code_for(again.report) == cli::kClean);
}

TEST_CASE("palfix run: fix() plus the report and the exit code", "[palfix]") {
    TempPostoffice po(pogen_fixture::kSmallSpec, {"nme-bad-alias:pol"});
    test::TempDir snapshots("palfix-snap");
    auto o = options_for(po, snapshots.path, true);
    o.common.json = true;
    std::ostringstream out, err;
    CHECK(palfix::run(o, out, err, false) == cli::kRemain);
    const std::string json = out.str();
    CHECK(json.find("\"tool\": \"palfix\"") != std::string::npos);
    CHECK(json.find("\"quarantine\": null") != std::string::npos);
    CHECK(json.find("nme.bad-alias") != std::string::npos);
    CHECK(std::filesystem::is_empty(snapshots.path));
}

TEST_CASE("palfix fix: throws as run() does, nothing changed", "[palfix]") {
    TempPostoffice po(pogen_fixture::kSmallSpec, {"pol-noise"});
    test::TempDir snapshots("palfix-snap");
    std::ostringstream err;
    const auto before = test::read_bytes(po.path("NME/ADMIN.NME"));
    try {
        (void)palfix::fix(options_for(po, snapshots.path, false), err, false);
        FAIL("no model_mismatch error");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::model_mismatch);
        CHECK(e.changes_made() == 0);
    }
    CHECK(test::read_bytes(po.path("NME/ADMIN.NME")) == before);
    CHECK(std::filesystem::is_empty(snapshots.path));
}

TEST_CASE("palfix run: an error after changes reports what was done, then exits 9", "[palfix]") {
    // Two PALs to repair: ADMIN's (NME/00000000.NME, action 0) and ALICE's
    // (NME/00000001.NME, action 1). The run stops before action 1 is written.
    for (const bool json : {true, false}) {
        INFO("json " << json);
        TempPostoffice po(pogen::sample_spec_text(), {"nme-bad-alias:pal,ADMIN", "nme-bad-alias:pal,ALICE"});
        test::TempDir snapshots("palfix-snap");
        auto o = options_for(po, snapshots.path, false);
        o.common.json = json;
        o.crash_hook = [](std::string_view step, std::size_t i) {
            if (step == "write-temp" && i == 1) throw Error(Errc::io, "disk full (test)", "NME/00000001.NME");
        };
        std::ostringstream out, err;
        try {
            (void)palfix::run(o, out, err, false);
            FAIL("no error after changes");
        } catch (const palfix::PartialFix& e) {
            CHECK(e.changes_made() == 1);
            CHECK(cli::exit_code_for(e) == 9);
            REQUIRE(e.done().report.snapshot);
            CHECK(*e.done().report.snapshot == e.undo_snapshot().string());
            const auto& findings = e.done().report.findings;
            const auto fixed_in = [&](const std::string& file) {
                for (const auto& f : findings)
                    if (f.file == file && f.severity == Severity::error) return f.fixed;
                FAIL("no finding on " << file);
                return false;
            };
            CHECK(fixed_in("NME/00000000.NME"));
            CHECK_FALSE(fixed_in("NME/00000001.NME"));
        }
        if (json) {
            const auto doc = nlohmann::json::parse(out.str());  // one document
            CHECK(doc["tool"] == "palfix");
            CHECK(doc["snapshot"].is_string());
            CHECK(doc["counts"]["fixed"] == 1);
            CHECK(doc["error"]["errc"] == "io");
            CHECK(doc["error"]["changes_made"] == 1);
            CHECK(doc["error"]["undo_snapshot"] == doc["snapshot"]);
            CHECK(doc["exit_code"] == 9);
            bool admin_fixed = false;
            for (const auto& f : doc["findings"])
                if (f["file"] == "NME/00000000.NME" && f["fixed"] == true) admin_fixed = true;
            CHECK(admin_fixed);
        } else {
            CHECK(out.str().find("palfix report for") != std::string::npos);
            CHECK(out.str().find("[fixed: ") != std::string::npos);
        }
    }
}
