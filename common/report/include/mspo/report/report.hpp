// The one report model of every tool: what was looked at, what was found,
// what was done. Rendered as aligned text, as one JSON document (the same
// content), or appended to a --log transcript (log_file.hpp). The library
// builds reports; only the tools print them. Every renderer writes to a
// stream as it goes, so memory does not grow with the number of findings
// beyond the Findings vector itself.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mspo/base/finding.hpp"

namespace mspo {

class JsonWriter;

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

/// Rows per check that text shows by default (the contract; -v shows all).
inline constexpr std::size_t kTextRowsPerCheck = 20;

/// What text shows. The defaults show everything; cli::text_options() gives
/// the contract's defaults (20 rows per check, notes only with -v).
struct TextOptions {
    bool quiet = false;         // only the finding rows: no header, summary, column titles or result line
    std::size_t per_check = 0;  // at most this many rows per check, then one "and N more" line; 0 = all
    bool notes = true;          // show notes (severity info) that carry no action; false: one count line
};

/// The report as aligned text:
///   a header (tool, postoffice, snapshot, dry run), the summary as aligned
///   "key: value" lines, a table with one row per finding (severity, check,
///   file, record, offset, then the message and the action), and a result line
///   that counts every finding, shown or not.
/// Record and offset are "-" where they do not apply. Every field is shown
/// terminal_safe() (safe_text.hpp). Findings left out by `options` are
/// summarised after the table, one line per check:
///   "... and 17 more access.bad-chars findings (-v or --json lists them all)"
/// and hidden notes in one line ("... 3 notes not shown (-v shows them)").
void write_text(std::ostream& out, const Report& report, const TextOptions& options = {});
/// write_text() into a string.
std::string render_text(const Report& report, const TextOptions& options = {});
/// False only when write_text() would write nothing (quiet, nothing to show).
bool has_text(const Report& report, const TextOptions& options) noexcept;

/// One finding on one line, for stderr or logs (terminal_safe):
///   "<tool>: <severity>: <check>: <file>[: record N][: offset N]: <message>[ [<action>]]"
std::string finding_line(std::string_view tool, const Finding& finding, bool dry_run);
/// finding_line() for each finding that `options` shows, then the same
/// "and N more" lines as write_text(), each prefixed "<tool>: ".
void write_finding_lines(std::ostream& out, std::string_view tool, const Findings& findings, bool dry_run,
                         const TextOptions& options = {});

/// The report as one JSON document, written as it goes, ending in a newline.
/// Members, in order: tool, postoffice, dry_run, snapshot (string or null),
/// summary (object; values that are plain non-negative integers become
/// numbers), findings (every finding: array of objects with severity, check,
/// file, record, offset (number or null), message, action, fixed), counts
/// (errors, warnings, notes, fixed), then whatever `extra` adds to the top
/// object (listuser adds "accounts"). Strings are valid UTF-8: bytes that are
/// not are written as "\xff", and a string member holding any is followed by
/// "<member>_hex" with its exact bytes (e.g. "file_hex"); see JsonWriter::text.
void write_json(std::ostream& out, const Report& report, const std::function<void(JsonWriter&)>& extra = {});
/// The same object as a value inside a larger document (pocheck --fix nests
/// each fixer's report): at the writer's position, with no trailing newline.
void write_json_object(JsonWriter& json, const Report& report,
                       const std::function<void(JsonWriter&)>& extra = {});
/// write_json() into a string.
std::string render_json(const Report& report);

/// Appends a transcript of `report` (header line, text, blank line) to the
/// file `log`, opening and closing it; see LogFile (log_file.hpp), which
/// tools use through cli::CommonOptions::log instead.
void append_log(const std::filesystem::path& log, const Report& report);
/// Appends free text under a header line, likewise.
void append_log_text(const std::filesystem::path& log, std::string_view tool, std::string_view text);

}  // namespace mspo
