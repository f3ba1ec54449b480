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
#include <optional>

#include "mspo/cli/options.hpp"

namespace mspo::palfix {

struct Options {
    cli::CommonOptions common;
    bool pol_only = false;                            // --pol-only: the POL and GRP only, no PAL
    std::optional<std::uint32_t> pal;                 // --pal HEXID: that account's PAL only
    bool rebuild_pol = false;                         // --rebuild-pol: rebuild the POL as ACCTONME does
    std::optional<std::filesystem::path> quarantine;  // --quarantine FILE
};

const cli::ToolSpec& spec();
/// The tool's own options (--pol-only, --pal, --rebuild-pol, --quarantine).
const cli::po::options_description& options_description();
/// Parsed command line -> Options. Opens no file. Throws Error{usage} when
/// --pol-only and --pal are both given, when HEXID is not 8 hex digits, or
/// when --quarantine is empty.
Options options_from(const cli::Parsed& parsed);
/// Runs the check and repair; prints the report to `out`, progress to `err`
/// when `progress` is set. Returns the exit code. Throws mspo::Error:
/// Error{model_mismatch} (nothing changed) when a file it would change
/// contradicts our model, Error{changed} when the quarantine file exists,
/// and what apply_plan throws.
int run(const Options& options, std::ostream& out, std::ostream& err, bool progress);

}  // namespace mspo::palfix
