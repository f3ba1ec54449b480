// The one report model of every tool: what was looked at, what was found,
// what was done. Rendered as aligned text, as one JSON document (the same
// content), or appended to a --log transcript. The library builds reports;
// only the tools print them.
#pragma once

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mspo/base/finding.hpp"

namespace mspo {

struct Report {
    std::string tool;        // "listuser"
    std::string postoffice;  // the path as the user gave it
    Findings findings;
    std::vector<std::pair<std::string, std::string>> summary;  // ("accounts", "5"), in display order
    std::optional<std::string> snapshot;                       // the snapshot written, if any
    bool dry_run = false;                                      // nothing was written
};

struct FindingCounts {
    std::size_t errors = 0, warnings = 0, notes = 0;  // by severity
    std::size_t fixed = 0;                            // findings whose action was applied
};

FindingCounts count_findings(const Findings& findings) noexcept;

struct TextOptions {
    bool quiet = false;  // only the finding rows: no header, summary, column titles or result line
};

/// The report as aligned text:
///   a header (tool, postoffice, snapshot, dry run), the summary as aligned
///   "key: value" lines, a table with one row per finding (severity, check,
///   file, record, offset, then the message and the action), and a result line.
/// Record and offset are "-" where they do not apply. Control characters in
/// any field are shown as '?', so a damaged name cannot garble a terminal.
std::string render_text(const Report& report, const TextOptions& options = {});

/// The finding rows only (with their column titles unless `quiet`), aligned;
/// empty if there are no findings.
std::string render_findings_text(const Findings& findings, bool dry_run, bool quiet = false);

/// One finding on one line, for stderr or logs:
///   "<tool>: <severity>: <check>: <file>[: record N][: offset N]: <message>[ [<action>]]"
std::string finding_line(std::string_view tool, const Finding& finding, bool dry_run);

/// The report as a JSON value, for tools that add their own members
/// (listuser adds "accounts"). Members, in order: tool, postoffice, dry_run,
/// snapshot (string or null), summary (object; values that are plain
/// non-negative integers become numbers), findings (array of objects with
/// severity, check, file, record, offset (number or null), message, action,
/// fixed), counts (errors, warnings, notes, fixed).
nlohmann::ordered_json report_json(const Report& report);

/// report_json() as one pretty-printed document ending in a newline. Bytes
/// that are not valid UTF-8 are replaced by U+FFFD rather than throwing.
std::string render_json(const Report& report);

/// Serializes any JSON value the way render_json() does.
std::string dump_json(const nlohmann::ordered_json& value);

/// Appends a transcript of `report` to `log`: a header line with the UTC
/// time, tool and postoffice, then render_text(report), then a blank line.
/// Creates the file if needed. Throws Error{io} if it cannot be written.
void append_log(const std::filesystem::path& log, const Report& report);

/// Appends free text under the same kind of header line (used for errors
/// that stop a tool before it has a report).
void append_log_text(const std::filesystem::path& log, std::string_view tool, std::string_view text);

}  // namespace mspo
