// How every tool prints, as the contract says: the report on stdout (text or
// one JSON document), a transcript on --log, progress only on a terminal,
// and what -v adds (every finding, notes, details and timings on stderr).
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "mspo/cli/options.hpp"
#include "mspo/report/report.hpp"

namespace mspo::cli {

/// True when a tool should write progress lines on stderr: stderr is a
/// terminal and --quiet was not given. Tools ask this rather than isatty().
bool show_progress(const CommonOptions& common);

/// The text options of the contract: --quiet as given; without -v at most
/// kTextRowsPerCheck rows per check (then one "and N more" line; --json
/// lists all) and no notes without an action; with -v, everything.
TextOptions text_options(const CommonOptions& common);

/// Prints `report` on `out`: with --json as one JSON document (write_json,
/// with `json_extra` adding members to it), else as text (write_text with
/// `text`). Then appends it to the --log file, if one is open, with the same
/// text options. Throws Error{io} if the log cannot be written. Does not
/// choose the exit code (exit_code_for(report) does).
void print_report(const CommonOptions& common, const Report& report, std::ostream& out,
                  const TextOptions& text, const std::function<void(JsonWriter&)>& json_extra = {});
/// print_report() with text_options(common).
void print_report(const CommonOptions& common, const Report& report, std::ostream& out,
                  const std::function<void(JsonWriter&)>& json_extra = {});

/// Appends `report` to the --log file, if one is open (print_report does).
void log_report(const CommonOptions& common, const Report& report, const TextOptions& text);

/// What -v adds on stderr: details and the time each phase took.
/// Without -v every call does nothing.
class Verbose {
public:
    Verbose(const CommonOptions& common, std::string tool, std::ostream& err);

    bool on() const noexcept { return on_; }
    /// "<tool>: <text>" (terminal_safe).
    void say(std::string_view text) const;
    /// "<tool>: timing: <phase> <seconds> s": the time since the previous
    /// phase ended (or since construction).
    void phase(std::string_view name);

private:
    bool on_;
    std::string tool_;
    std::ostream& err_;
    std::chrono::steady_clock::time_point last_;
};

/// "0.0123" : seconds with four decimals (the timing lines of -v).
std::string seconds_text(std::chrono::steady_clock::duration d);

}  // namespace mspo::cli
