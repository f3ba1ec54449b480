// mbgsplit: brings every mailbag under the 4096-slot limit without losing a
// message (KB Q237695 step 6; Q119088, Q163020, Q138054, Q104279, Q101749).
// --check surveys every mailbag; --list prints one mailbag's headers; by
// default mailbags with too many slots are compacted and, if still too
// full, their oldest headers moved to overflow mailbags; --merge moves them
// back. Built as mbgsplit_lib (options.cpp: parsing; mbgsplit.cpp: check,
// split and merge; listing.cpp: --list and the --check table).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "mspo/checks/mailbags.hpp"
#include "mspo/cli/options.hpp"
#include "mspo/report/report.hpp"

namespace mspo::mbgsplit {

enum class Mode { split, check, list, merge };

struct Options {
    cli::CommonOptions common;
    Mode mode = Mode::split;
    std::string list_stem;  // --list: the mailbag's name, upper case ("0000002A", "INQUEUE3")
    MailbagLimits limits;   // --max, --warn
    bool csv = false;       // --csv: the --check or --list table as CSV
    /// Not an option: the text of a dead run's toolkit lock as a caller saw it
    /// before its own fixers took the lock over (pocheck --fix). Unset: the
    /// lock is probed here.
    std::optional<std::string> stale_lock;
};

const cli::ToolSpec& spec();
/// The tool's own options (--check, --list, --merge, --max, --warn, --csv).
const cli::po::options_description& options_description();
/// Parsed command line -> Options. Opens no file. Throws Error{usage} for
/// two modes at once, a --list name that is not a mailbag name, --max
/// outside 1..4095, --warn outside 1..100, --csv without --check or --list,
/// or --csv with --json.
Options options_from(const cli::Parsed& parsed);
/// Runs the tool; prints the report to `out`, progress to `err` when
/// `progress` is set. Returns the exit code. Throws mspo::Error:
/// Error{model_mismatch} (nothing changed) when the MAI counters do not
/// support our KEY model, Error{not_found} for --list of a missing mailbag,
/// and what apply_plan throws.
int run(const Options& options, std::ostream& out, std::ostream& err, bool progress);

/// The split (or, with Mode::merge, the merge) without printing: survey,
/// plan, apply (or predict, with -n); the report run() prints. --check and
/// --list are not changes: `options.mode` must be split or merge. Throws as
/// run() does. pocheck --fix calls it.
Report fix(const Options& options, std::ostream& err, bool progress);

/// --list (listing.cpp).
int run_list(const Options& options, std::ostream& out, std::ostream& err);
/// The --check table of every mailbag, as text or CSV (listing.cpp).
void write_survey_table(const Options& options, const MailbagSurvey& survey, std::ostream& out);

}  // namespace mspo::mbgsplit
