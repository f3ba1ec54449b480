// p1clean: removes stale files and dead External locks from P1 (KB Q237695
// step 2, KB Q135902, Q148707), after a verified snapshot. Built as the
// library p1clean_lib (options.cpp: parsing; p1clean.cpp: the run) so that
// main.cpp stays a thin shell and the parsing is unit-tested.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <limits>
#include <optional>

#include "mspo/base/time.hpp"
#include "mspo/cli/options.hpp"
#include "mspo/report/report.hpp"

namespace mspo::p1clean {

inline constexpr double kMaxDays = 36500;             // --days: 100 years
inline constexpr double kMaxLockAgeMinutes = 525600;  // --lock-age: a year
/// --now: the last whole second a signed 64-bit nanosecond count can hold.
inline constexpr long long kMaxNow = std::numeric_limits<std::int64_t>::max() / kNsPerSecond;

struct Options {
    cli::CommonOptions common;
    double days = 2;                  // --days N: remove files older than N days
    double lock_age_minutes = 10;     // --lock-age M: locks younger than M minutes are fresh
    bool include_queued = false;      // --include-queued
    std::optional<std::int64_t> now;  // --now SECONDS: clock override (Unix time, 0..kMaxNow)
};

const cli::ToolSpec& spec();
/// The tool's own options (--days, --lock-age, --include-queued, --now).
const cli::po::options_description& options_description();
/// Parsed command line -> Options. Opens no file. Throws Error{usage} for a
/// value out of range (--days 0..36500, --lock-age 0..525600, --now
/// 0..kMaxNow), before any arithmetic on it.
Options options_from(const cli::Parsed& parsed);
/// The cleanup without printing: scan, plan, apply (or predict, with -n);
/// the report run() prints. Throws as run() does. pocheck --fix calls it.
Report fix(const Options& options, std::ostream& err, bool progress);
/// Runs the cleanup; prints the report to `out`, progress to `err` when
/// `progress` is set, and with --verbose one line per kept file to `err`.
/// Returns the exit code. Throws mspo::Error; Error{in_use} (nothing written)
/// when External is running or another process holds a lock on a file to be
/// removed, in a dry run as in a real one, unless --force.
int run(const Options& options, std::ostream& out, std::ostream& err, bool progress);

}  // namespace mspo::p1clean
