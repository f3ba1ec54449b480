// The check table (common/base/include/mspo/base/check_table.inc): one row
// per id, every CheckId has its row, the defaults; every id that the sources
// or the golden CLI outputs name has a row; docs/FORMATS.md lists exactly the
// table (MSPO_UPDATE_DOCS=1 rewrites that section from the table).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "mspo/base/check_table.hpp"
#include "mspo/checks/check.hpp"

using namespace mspo;
namespace fs = std::filesystem;

namespace {

const fs::path kSourceDir = fs::path(MSPO_TEST_DATA).parent_path().parent_path();

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    REQUIRE(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::set<std::string> table_ids() {
    std::set<std::string> ids;
    for (const auto& row : check_table()) ids.emplace(row.id);
    return ids;
}

// The id families of the table ("layout", "p1", "restore", ...).
std::set<std::string> families() {
    std::set<std::string> out;
    for (const auto& row : check_table()) out.emplace(row.id.substr(0, row.id.find('.')));
    return out;
}

std::string cell(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

// The docs section, as generated from the table.
std::string markdown_table() {
    std::string out =
        "| Id | Severity | Reported by | Reads | Finds | Source | Repaired by |\n"
        "|---|---|---|---|---|---|---|\n";
    for (const auto& r : check_table())
        out += "| `" + std::string(r.id) + "` | " + severity_name(r.severity) + " | " +
               reporter_name(r.reporter) + " | " + cell(r.reads) + " | " + cell(r.finds) + " | " +
               cell(r.source) + " | " + repairer_name(r.repairer) + " |\n";
    return out;
}

constexpr std::string_view kBegin =
    "<!-- check table: generated from common/base/include/mspo/base/check_table.inc -->\n";
constexpr std::string_view kEnd = "<!-- end of check table -->\n";

}  // namespace

TEST_CASE("check_table: ids are unique, well formed and fully described", "[check_table]") {
    std::set<std::string_view> seen;
    const std::regex form("[a-z0-9]+\\.[a-z0-9]+(-[a-z0-9]+)*");
    for (const auto& row : check_table()) {
        INFO(row.id);
        CHECK(seen.insert(row.id).second);
        CHECK(std::regex_match(std::string(row.id), form));
        CHECK_FALSE(row.reads.empty());
        CHECK_FALSE(row.finds.empty());
        CHECK_FALSE(row.source.empty());
    }
    CHECK(seen.size() == check_table().size());
}

TEST_CASE("check_table: every CheckId has its row, named after its id", "[check_table]") {
    std::size_t i = 0;
    for (const auto& row : check_table()) {
        INFO(row.id);
        CHECK(static_cast<std::size_t>(row.code) == i++);
        CHECK(&check_row(row.code) == &row);
        std::string symbol(row.id);
        for (char& c : symbol)
            if (c == '.' || c == '-') c = '_';
        CHECK(row.symbol == symbol);
        CHECK(find_check_row(row.id) == &row);
    }
    CHECK(find_check_row("no.such") == nullptr);
    CHECK(find_check_row("") == nullptr);
}

TEST_CASE("check_table: default severities", "[check_table]") {
    // Damage is an error; things kept on purpose are warnings; notes are info.
    for (const auto& row : check_table())
        if (row.reporter == Reporter::run_checks) {
            INFO(row.id);
            CHECK(row.severity == Severity::error);
        }
    CHECK(check_row(CheckId::layout_not_regular).severity == Severity::error);
    CHECK(check_row(CheckId::p1_stale).severity == Severity::error);
    CHECK(check_row(CheckId::p1_lock_fresh).severity == Severity::error);
    CHECK(check_row(CheckId::p1_queued).severity == Severity::warning);
    CHECK(check_row(CheckId::p1_not_regular).severity == Severity::warning);
    CHECK(check_row(CheckId::p1_forced).severity == Severity::warning);
    CHECK(check_row(CheckId::restore_changed_since).severity == Severity::error);
    CHECK(check_row(CheckId::restore_file).severity == Severity::info);
    CHECK(check_row(CheckId::restore_other_postoffice).severity == Severity::warning);
    CHECK(check_row(CheckId::snapshot_damaged).severity == Severity::error);
    CHECK(check_row(CheckId::snapshot_file).severity == Severity::info);
    CHECK(check_row(CheckId::safety_stale_lock_taken).severity == Severity::warning);
    CHECK(check_row(CheckId::safety_temp_removed).severity == Severity::info);
}

TEST_CASE("check_table: the ids every tool emits today", "[check_table]") {
    // issue 9 §3: today's postoffice checks, every p1.*, restore.*, snapshot.*
    // and the safety layer's ids. Removing one of these is a contract change.
    const std::set<std::string> expected = {
        "layout.missing-dir",    "layout.not-dir",     "layout.not-regular",
        "glb.missing",           "size.rule",          "access.count-mismatch",
        "access.bad-chars",      "access.bad-mailbag", "filenum.duplicate",
        "access.missing-mbg",    "access.missing-key", "shadow.nme-mismatch",
        "shadow.grp-mismatch",   "key.orphan",         "mbg.orphan",
        "mbg.mai-missing",       "mai.refcount",       "mbg.over-limit",
        "control.counter-low",   "p1.forced",          "p1.lock-fresh",
        "p1.lock-stale",         "p1.missing",         "p1.not-regular",
        "p1.populate-missing",   "p1.queued",          "p1.stale",
        "restore.changed-since", "restore.file",       "restore.other-postoffice",
        "snapshot.damaged",      "snapshot.file",      "safety.stale-lock-taken",
        "safety.temp-removed"};
    const auto ids = table_ids();
    for (const auto& id : expected) {
        INFO(id);
        CHECK(ids.count(id) == 1);
    }
}

TEST_CASE("check_table: reporters and repairers", "[check_table]") {
    CHECK(check_row(CheckId::mbg_over_limit).repairer == Repairer::mbgsplit);
    CHECK(check_row(CheckId::shadow_nme_mismatch).repairer == Repairer::palfix);
    CHECK(check_row(CheckId::p1_stale).repairer == Repairer::p1clean);
    CHECK(check_row(CheckId::p1_stale).reporter == Reporter::p1clean);
    CHECK(check_row(CheckId::restore_file).reporter == Reporter::porestore);
    CHECK(std::string(repairer_name(Repairer::pocheck_fix)) == "pocheck --fix");
    CHECK(std::string(reporter_name(Reporter::fixers)) == "every fixer");
    // The postoffice checks come first, in run order: all_checks() is that prefix.
    const auto& checks = all_checks();
    REQUIRE_FALSE(checks.empty());
    for (std::size_t i = 0; i < checks.size(); ++i) CHECK(checks[i].id == check_table()[i].id);
}

TEST_CASE("check_table: every id literal in the sources has a row", "[check_table]") {
    // A string literal that is a whole id of a known family ("p1.stale") must be a row.
    const auto ids = table_ids();
    const auto fams = families();
    const std::regex literal("\"([a-z0-9]+)\\.([a-z0-9]+(-[a-z0-9]+)*)\"");
    std::size_t files = 0, seen = 0;
    for (const char* dir : {"common", "cli", "tools", "generator"}) {
        REQUIRE(fs::is_directory(kSourceDir / dir));
        for (const auto& e : fs::recursive_directory_iterator(kSourceDir / dir)) {
            const auto ext = e.path().extension();
            if (!e.is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".inc")) continue;
            ++files;
            const std::string text = read_text(e.path());
            for (std::sregex_iterator it(text.begin(), text.end(), literal), end; it != end; ++it) {
                if (!fams.count((*it)[1].str())) continue;
                const std::string id = (*it)[1].str() + "." + (*it)[2].str();
                ++seen;
                INFO(e.path().string() << ": " << id);
                CHECK(ids.count(id) == 1);
            }
        }
    }
    CHECK(files > 50);
    CHECK(seen > 20);  // the table itself and pogen's damage kinds name ids
}

TEST_CASE("check_table: every id in the golden CLI outputs has a row", "[check_table]") {
    // JSON ("check": "id"), text report rows ("error  id  ...") and finding
    // lines on stderr ("tool: error: id: file ...") of every tool's cases.
    const auto ids = table_ids();
    const std::regex json("\"check\": *\"([^\"]*)\"");
    const std::regex row("(^|\\n)(error|warning|info) +([a-z0-9]+\\.[a-z0-9.-]+) ");
    const std::regex line(": (error|warning|info): ([a-z0-9]+\\.[a-z0-9.-]+): ");
    const fs::path cli = kSourceDir / "tests" / "cli";
    REQUIRE(fs::is_directory(cli));
    std::size_t seen = 0;
    for (const auto& e : fs::recursive_directory_iterator(cli)) {
        if (!e.is_regular_file() || e.file_size() > (1u << 20)) continue;
        const std::string text = read_text(e.path());
        const auto scan = [&](const std::regex& re, std::size_t group) {
            for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) {
                ++seen;
                INFO(e.path().string() << ": " << (*it)[group].str());
                CHECK(ids.count((*it)[group].str()) == 1);
            }
        };
        scan(json, 1);
        scan(row, 3);
        scan(line, 2);
    }
    CHECK(seen > 0);
}

TEST_CASE("check_table: docs/FORMATS.md lists exactly the table", "[check_table][docs]") {
    const fs::path doc = kSourceDir / "docs" / "FORMATS.md";
    std::string text = read_text(doc);
    const auto begin = text.find(kBegin);
    REQUIRE(begin != std::string::npos);
    const auto body = begin + kBegin.size();
    const auto end = text.find(kEnd, body);
    REQUIRE(end != std::string::npos);
    const std::string expected = markdown_table();
    if (text.compare(body, end - body, expected) != 0 && std::getenv("MSPO_UPDATE_DOCS")) {
        text.replace(body, end - body, expected);
        std::ofstream(doc, std::ios::binary | std::ios::trunc) << text;
        WARN("rewrote the check table in " << doc.string());
        return;
    }
    INFO("regenerate with: MSPO_UPDATE_DOCS=1 build/tests/mspo_unit_tests '[docs]'");
    CHECK(text.substr(body, end - body) == expected);
    // And the ids alone, so a failure names what differs.
    std::set<std::string> documented;
    const std::regex id_cell("\\n\\| `([^`]+)` \\|");
    const std::string section = text.substr(begin, end - begin);
    for (std::sregex_iterator it(section.begin(), section.end(), id_cell), e; it != e; ++it)
        documented.insert((*it)[1].str());
    CHECK(documented == table_ids());
}
