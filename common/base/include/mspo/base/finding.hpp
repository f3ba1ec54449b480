// A finding: one piece of damage (or a note) that a check found, and what was
// done about it. Every tool reports in these terms; report.hpp renders them.
// A finding is made only from a row of the check table (make_finding), so
// its id and default severity come from there.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mspo/base/check_table.hpp"
#include "mspo/base/severity.hpp"

namespace mspo {

struct Finding {
    CheckId code;                         // its row in the check table
    std::string_view check;               // check_row(code).id, e.g. "access.count-mismatch" (static text)
    Severity severity = Severity::error;  // the row's default; a tool may lower it (e.g. kept under --force)
    std::string file;                     // path relative to the postoffice root, e.g. "GLB/ACCESS2.GLB"
    std::optional<std::uint64_t> record;  // record index (0-based), where one applies
    std::optional<std::uint64_t> offset;  // byte offset in the file, where one applies
    std::string message;                  // one line, plain text, UTF-8
    std::string action;                   // what was (or would be) done; empty if nothing
    bool fixed = false;                   // true once the action has been applied

private:
    explicit Finding(CheckId c) noexcept;
    friend Finding make_finding(CheckId code, std::string file, std::optional<std::uint64_t> record,
                                std::optional<std::uint64_t> offset, std::string message);
};

using Findings = std::vector<Finding>;

/// The one way to make a finding: id and severity from the row of `code`.
Finding make_finding(CheckId code, std::string file, std::optional<std::uint64_t> record,
                     std::optional<std::uint64_t> offset, std::string message);
/// The same, with no record and no offset.
Finding make_finding(CheckId code, std::string file, std::string message);

/// True if any finding is a damage finding (severity error) left unfixed.
bool has_unfixed_damage(const Findings& findings) noexcept;

}  // namespace mspo
