// The check table (e2fsck's problem table): every finding id any tool of the
// suite can emit, with its default severity, what it reads, what it finds,
// its source and the tool that repairs it. The rows are data, in
// check_table.inc; findings are made only from a row (finding.hpp's
// make_finding), so an id without a row cannot be emitted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "mspo/base/severity.hpp"

namespace mspo {

/// One enumerator per row, in table order.
enum class CheckId : std::uint16_t {
#define MSPO_CHECK(code, id, sev, by, fix, reads, finds, source) code,
#include "mspo/base/check_table.inc"
#undef MSPO_CHECK
};

/// Which tool (or part of the library) emits a finding.
enum class Reporter {
    run_checks,     // the postoffice checks (common/checks/check.hpp); listuser runs the account checks
    p1clean,        // the P1 scan and cleanup (common/checks/p1.hpp)
    address_lists,  // the POL, its groups and every PAL (common/checks/address_lists.hpp; palfix, pocheck)
    mailbags,       // how full each mailbag is, and the KEY model test (common/checks/mailbags.hpp; mbgsplit,
                    // pocheck)
    pocheck,    // file access and External's version (common/checks/file_access.hpp, external_version.hpp)
    porestore,  // snapshot verification, listing and restore
    fixers,     // every tool that writes, through the plan-snapshot-apply path
};

/// Which tool repairs what a finding reports.
enum class Repairer { none, p1clean, palfix, mbgsplit, pocheck_fix, porestore };

struct CheckRow {
    CheckId code;
    std::string_view symbol;  // the enumerator's name, "layout_not_dir"
    std::string_view id;      // the stable id, "layout.not-dir": findings, reports, docs and tests
    Severity severity;        // the default severity of its findings
    Reporter reporter;
    Repairer repairer;
    std::string_view reads;   // the files it reads
    std::string_view finds;   // what it reports
    std::string_view source;  // the KB articles (or the toolkit document) it comes from
};

namespace check_table_detail {
inline constexpr CheckRow kRows[] = {
#define MSPO_CHECK(code, id, sev, by, fix, reads, finds, source) \
    {CheckId::code, #code, id, Severity::sev, Reporter::by, Repairer::fix, reads, finds, source},
#include "mspo/base/check_table.inc"
#undef MSPO_CHECK
};

constexpr bool rows_are_sound() {
    constexpr std::size_t n = sizeof kRows / sizeof kRows[0];
    for (std::size_t i = 0; i < n; ++i) {
        if (static_cast<std::size_t>(kRows[i].code) != i || kRows[i].id.empty()) return false;
        for (std::size_t j = i + 1; j < n; ++j)
            if (kRows[i].id == kRows[j].id) return false;
    }
    return true;
}
static_assert(rows_are_sound(), "check_table.inc: every id must be unique and non-empty");
}  // namespace check_table_detail

/// Every row, in table order (the postoffice checks first, in run order).
constexpr std::span<const CheckRow> check_table() noexcept { return check_table_detail::kRows; }

/// The row of `code`.
constexpr const CheckRow& check_row(CheckId code) noexcept {
    return check_table_detail::kRows[static_cast<std::size_t>(code)];
}

/// The row whose id is `id`, or nullptr.
const CheckRow* find_check_row(std::string_view id) noexcept;

/// "run_checks", "p1clean", "address_lists", "mailbags", "porestore", "every fixer".
const char* reporter_name(Reporter r) noexcept;
/// "none", "p1clean", "palfix", "mbgsplit", "pocheck --fix", "porestore".
const char* repairer_name(Repairer r) noexcept;

}  // namespace mspo
