// pogen: writes a complete, valid (or deliberately damaged) postoffice from a
// text spec (docs/POGEN.md), for tests, demos and benchmarks.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "mspo/cli/options.hpp"
#include "mspo/pogen/builder.hpp"

namespace mspo::pogen {

struct Options {
    cli::CommonOptions common;
    std::optional<std::filesystem::path> spec_file;  // --spec FILE (default: the sample spec)
    BuildOptions build;                              // --users, --seed, --now, --damage
    bool list_damage = false;                        // --list-damage
    bool print_sample = false;                       // --print-sample
    std::filesystem::path outdir;                    // OUTDIR
};

const cli::ToolSpec& cli_spec();
/// --spec, --users, --seed, --now, --damage, --list-damage, --print-sample.
const cli::po::options_description& options_description();
/// Parsed command line -> Options. Opens no file. Throws Error{usage}.
Options options_from(const cli::Parsed& parsed);
/// Builds and writes the postoffice; prints a one-line summary (unless
/// --quiet) to `out`. Returns 0. Throws mspo::Error.
int run(const Options& options, std::ostream& out);

}  // namespace mspo::pogen
