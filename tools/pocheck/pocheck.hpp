// pocheck: walks the six workaround steps of KB Q237695 in their order, each
// with a verdict (ok / problem / cannot tell), what it saw and the command
// that fixes it, then every other check of the library and how well the
// postoffice fits our models. Never writes. Built as pocheck_lib
// (options.cpp: parsing; steps.cpp: the steps; pocheck.cpp: the run and its
// output) so that main.cpp stays a thin shell and the parsing is unit-tested.
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

namespace mspo::pocheck {

/// --now: the last whole second a signed 64-bit nanosecond count can hold.
inline constexpr long long kMaxNow = std::numeric_limits<std::int64_t>::max() / kNsPerSecond;

struct Options {
    cli::CommonOptions common;
    std::optional<std::filesystem::path> external;  // --external PATH: the External program to read
    std::optional<std::int64_t> now;                // --now SECONDS: clock override for P1 ages
};

const cli::ToolSpec& spec();
/// The tool's own options (--external, --now).
const cli::po::options_description& options_description();
/// Parsed command line -> Options. Opens no file. Throws Error{usage} for an
/// empty --external or a --now out of range.
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

/// Runs the check and prints the checklist and the report to `out`, progress
/// to `err` when `progress` is set. Returns the exit code (0 clean, 4 problems).
int run(const Options& options, std::ostream& out, std::ostream& err, bool progress);

}  // namespace mspo::pocheck
