// p1clean: removes stale files and dead External locks from P1 (KB Q237695
// step 2, KB Q135902, Q148707), after a verified snapshot.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>

#include "mspo/cli/options.hpp"

namespace mspo::p1clean {

struct Options {
    cli::CommonOptions common;
    double days = 2;                  // --days N: remove files older than N days
    double lock_age_minutes = 10;     // --lock-age M: locks younger than M minutes are fresh
    bool include_queued = false;      // --include-queued
    std::optional<std::int64_t> now;  // --now SECONDS: clock override (Unix time)
};

const cli::ToolSpec& spec();
/// The tool's own options (--days, --lock-age, --include-queued, --now).
const cli::po::options_description& options_description();
/// Parsed command line -> Options. Throws Error{usage} for bad values.
Options options_from(const cli::Parsed& parsed);
/// Runs the cleanup; prints the report to `out`, progress to `err` when
/// `progress` is set. Returns the exit code. Throws mspo::Error.
int run(const Options& options, std::ostream& out, std::ostream& err, bool progress);

}  // namespace mspo::p1clean
