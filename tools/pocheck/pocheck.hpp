// pocheck: walks the six workaround steps of KB Q237695 in their order, each
// with a verdict (ok / problem / cannot tell), what it saw and the command
// that fixes it, then every other check of the library and how well the
// postoffice fits our models. Never writes, except with --fix: then it runs
// the fixers in the KB's order (p1clean, palfix, mbgsplit, then its own
// repairs of the counters) and checks again. Built as pocheck_lib
// (options.cpp: parsing; steps_kb.cpp and steps_other.cpp: the steps (their
// shared parts in steps.hpp); pocheck.cpp: the check and its output; fix.cpp:
// --fix; fix_report.cpp: its output) so that main.cpp stays a thin shell and
// the parsing is unit-tested.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "mspo/base/finding.hpp"
#include "mspo/base/time.hpp"
#include "mspo/cli/options.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/report/report.hpp"

namespace mspo::pocheck {

/// --now: the last whole second a signed 64-bit nanosecond count can hold.
inline constexpr long long kMaxNow = std::numeric_limits<std::int64_t>::max() / kNsPerSecond;

struct Options {
    cli::CommonOptions common;
    std::optional<std::filesystem::path> external;  // --external PATH: the External program to read
    std::optional<std::int64_t> now;                // --now SECONDS: clock override for P1 ages
    bool fix = false;                               // --fix: run the fixers, then check again
    std::optional<std::filesystem::path> html;      // --html FILE: also write the report as a page
};

const cli::ToolSpec& spec();
/// The tool's own options (--external, --now).
const cli::po::options_description& options_description();
/// Parsed command line -> Options. Opens no file. Throws Error{usage} for an
/// empty --external or --html or a --now out of range, Error{unsafe_path} for
/// an --html FILE inside the postoffice or that is not a regular file.
Options options_from(const cli::Parsed& parsed);

enum class Verdict { ok, problem, cannot_tell };
/// "ok", "problem", "cannot tell".
const char* verdict_name(Verdict v) noexcept;

/// One step of the checklist (the six of KB Q237695, then "every other
/// check" and the model report, numbered 7 and 8).
struct Step {
    int number = 0;
    std::string title;  // "Owners, permissions and locks of the ATT, GLB, KEY, MAI and MBG files"
    std::string name;   // short, for the report's summary: "permissions and locks"
    Verdict verdict = Verdict::ok;
    std::vector<std::string> saw;       // what it saw: counts, then why the verdict
    std::string fix;                    // the command (or manual step) that fixes it; empty when ok
    std::vector<std::size_t> findings;  // indexes into Checklist::findings
};

struct Checklist {
    std::vector<Step> steps;
    /// Every finding, each once, in the order the steps first showed them.
    Findings findings;
};

/// Runs every step. Reads only; throws Error only for what makes the whole
/// check impossible (--external names no readable file, interrupted).
Checklist run_steps(const Postoffice& po, const Options& options);

/// One fixer --fix ran, or did not need to run, in the KB's order.
struct FixStep {
    enum class State { not_needed, done, refused };
    std::string tool;  // "p1clean", "palfix", "mbgsplit"; "pocheck" for the counters
    std::string what;  // "P1 files over 2 days old (step 2)"
    State state = State::not_needed;
    std::optional<Report> report;  // its report when it ran (done)
    std::string refusal;           // why it changed nothing (refused): the message, with the file
};

/// "not needed", "done" or "refused": the word the text, JSON and HTML reports use.
const char* state_name(FixStep::State s) noexcept;

/// What --fix did: the check before, each fixer, the check after.
struct FixRun {
    Checklist before;
    std::vector<FixStep> fixes;
    std::optional<Checklist> after;  // nullopt on a dry run: nothing changed
};

/// --fix: checks, runs each fixer whose findings the check showed (with -n,
/// each predicts), each with its own snapshot, and checks again. A fixer
/// that refuses (Error with no change made: in use, a model the postoffice
/// contradicts, ...) is recorded and the next one runs. Throws Error for an
/// error after a change (the message names the snapshot) and interrupted.
FixRun run_fix(const Options& options, std::ostream& err, bool progress);
/// The exit code of a --fix run: 1 if a fixer fixed something, 4 if problems
/// remain (after the run; with -n, before it), 8 if a fixer refused.
int fix_exit_code(const FixRun& run);
/// "porestore SNAPSHOT PO" for each snapshot a --fix run wrote, the newest
/// first (fix_report.cpp; the text, JSON and HTML reports show them).
std::vector<std::string> undo_commands(const Options& options, const FixRun& run);
/// Prints a --fix run (fix_report.cpp): text or, with --json, one document.
void print_fix(const Options& options, const FixRun& run, std::ostream& out);

/// The checklist as lines a person can tick off, under `heading`
/// (pocheck.cpp; --fix prints it before and after).
void write_checklist(std::ostream& out, const std::string& heading, const Checklist& list);
/// The steps as a JSON array member `key` (pocheck.cpp).
void write_steps_json(JsonWriter& json, std::string_view key, const Checklist& list);

/// --html FILE (html_report.cpp): the check, or a --fix run, as one
/// self-contained page, written atomically to options.html (nothing if unset).
void write_html_check(const Options& options, const Checklist& list);
void write_html_fix(const Options& options, const FixRun& run);

/// Runs the check and prints the checklist and the report to `out`, progress
/// to `err` when `progress` is set. Returns the exit code (0 clean, 4 problems).
int run(const Options& options, std::ostream& out, std::ostream& err, bool progress);

}  // namespace mspo::pocheck
