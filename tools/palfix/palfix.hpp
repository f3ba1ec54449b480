// palfix: checks and repairs the postoffice address list (POL, NME/ADMIN.NME
// and its shadow), the group chains (GRP/ADMIN.GRP and its shadow, with
// GLB/GROUP.GLB) and every personal address list (NME/<hexid>.NME): KB
// Q237695 step 5, Q125252, Q99419 (ACCTONME, GIMPORT, IMPORT), Q132744 and
// Q119018 (a good copy of a pair over a damaged one). Built as palfix_lib
// (options.cpp: parsing; palfix.cpp: the run) so that main.cpp stays a thin
// shell and the parsing is unit-tested.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <vector>

#include "mspo/base/error.hpp"
#include "mspo/checks/quarantine_text.hpp"
#include "mspo/safety/step_hook.hpp"
#include "mspo/cli/options.hpp"
#include "mspo/report/report.hpp"

namespace mspo::palfix {

struct Options {
    cli::CommonOptions common;
    bool pol_only = false;                            // --pol-only: the POL and GRP only, no PAL
    std::optional<std::uint32_t> pal;                 // --pal HEXID: that account's PAL only
    bool rebuild_pol = false;                         // --rebuild-pol: rebuild the POL as ACCTONME does
    std::optional<std::filesystem::path> quarantine;  // --quarantine FILE
    StepHook crash_hook;                              // test-only: ApplyOptions::crash_hook
};

const cli::ToolSpec& spec();
/// The tool's own options (--pol-only, --pal, --rebuild-pol, --quarantine).
const cli::po::options_description& options_description();
/// Parsed command line -> Options. Opens no file. Throws Error{usage} when
/// --pol-only and --pal are both given, when HEXID is not 8 hex digits, or
/// when --quarantine is empty.
Options options_from(const cli::Parsed& parsed);
/// What a run quarantined (or, with -n, would quarantine).
struct Quarantine {
    /// The quarantine text's path: --quarantine FILE, or the name beside the
    /// snapshot; nullopt in a dry run without --quarantine (it would be
    /// named after the snapshot at run time).
    std::optional<std::filesystem::path> file;
    bool written = false;                  // the file was written (never in a dry run)
    std::vector<QuarantineEntry> entries;  // every entry removed, in file order
};

/// What fix() did: the report run() prints and what its JSON adds.
struct Result {
    Report report;                         // tool "palfix", findings marked fixed where applied
    std::optional<Quarantine> quarantine;  // set when the run quarantines something
};

/// What fix() throws when an error stops it after changes were made
/// (changes_made() > 0: exit 9): the error itself, plus the Result of what
/// was done (the findings whose repairs were all made marked fixed, the
/// snapshot that undoes them, the quarantine text written).
class PartialFix : public Error {
public:
    PartialFix(const Error& error, Result done)
        : Error(error), done_(std::make_shared<const Result>(std::move(done))) {}
    const Result& done() const noexcept { return *done_; }

private:
    std::shared_ptr<const Result> done_;  // shared: exceptions are copied
};

/// The run without its printing: reads, checks, plans, refuses where the
/// model is contradicted, writes the quarantine text, applies the plan (or,
/// with -n, predicts it). Progress goes to `err` when `progress` is set;
/// -v's details and timings go to `err` too. Throws as run() does; an
/// error after changes is a PartialFix.
Result fix(const Options& options, std::ostream& err, bool progress);

/// fix(), then prints the report to `out` (text, or JSON with a "quarantine"
/// member: null, or {file, written, entries}), and returns the exit code.
/// Throws mspo::Error: Error{model_mismatch} (nothing changed) when a file
/// it would change contradicts our model, Error{changed} when the quarantine
/// file exists, and what apply_plan throws. After changes (PartialFix) it
/// prints the report of what was done first (with --json, the one document,
/// with "error" and "exit_code" members as run_tool's error document has),
/// then rethrows.
int run(const Options& options, std::ostream& out, std::ostream& err, bool progress);

}  // namespace mspo::palfix
