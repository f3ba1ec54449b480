// p1clean's command line: its spec (for --help), its own options, and their
// checks. Opens no file, so it is unit-tested (test_p1clean_options.cpp).
#include <cmath>

#include "mspo/base/error.hpp"
#include "p1clean.hpp"

namespace mspo::p1clean {

namespace po = boost::program_options;

const cli::ToolSpec& spec() {
    static const cli::ToolSpec s = [] {
        cli::ToolSpec t;
        t.name = "p1clean";
        t.summary = "Remove stale files and dead External locks from the postoffice's P1 folder.";
        t.usage =
            "Step 2 of KB Q237695: files in P1 older than --days are removed, after a verified\n"
            "snapshot of each. POPULATE.MSM is never removed, and is re-created (with P1) if\n"
            "missing. *.0LK and LOCKP1ID.P?? locks go only when older than --lock-age and no\n"
            "process holds them; a fresh or held lock means External is running, and p1clean\n"
            "refuses (exit 8) unless --force, as it does when another process holds a lock on a\n"
            "file it would remove (-n says so too). Envelopes still queued in MBG/INQUEUE3.MBG\n"
            "are kept, with a warning, unless --include-queued; when the queue is missing or\n"
            "cannot be read whole (truncated, damaged, far over 4096 records), every envelope\n"
            "it may still name is kept and the run exits 4. Only regular files directly in P1\n"
            "are touched; links are never followed. -v lists every file kept, and why, on stderr.";
        t.examples =
            "p1clean -n M:\\MAILDATA            # report what would be removed; write nothing\n"
            "p1clean M:\\MAILDATA               # remove P1 files over 2 days old, after a snapshot\n"
            "p1clean --days 7 --json /srv/po   # keep a week; report as JSON";
        t.writes = true;
        return t;
    }();
    return s;
}

const po::options_description& options_description() {
    static const po::options_description d = [] {
        po::options_description o("p1clean options");
        o.add_options()("days", po::value<double>()->value_name("N"),
                        "remove files older than N days (default 2; 0 to 36500, fractions allowed)")(
            "lock-age", po::value<double>()->value_name("MINUTES"),
            "an External lock younger than this is fresh: External is running (default 10; 0 to 525600)")(
            "include-queued",
            "also remove stale envelopes still queued in INQUEUE3.MBG (they will be NDR'd)")(
            "now", po::value<long long>()->value_name("SECONDS"),
            "measure ages against this Unix time instead of the clock (reproducible reports; 0 to "
            "9223372036)");
        return o;
    }();
    return d;
}

Options options_from(const cli::Parsed& parsed) {
    Options o;
    o.common = parsed.common;
    const auto& vm = parsed.vm;
    if (vm.count("days")) o.days = vm["days"].as<double>();
    if (vm.count("lock-age")) o.lock_age_minutes = vm["lock-age"].as<double>();
    o.include_queued = vm.count("include-queued") != 0;
    if (!std::isfinite(o.days) || o.days < 0 || o.days > kMaxDays)
        throw Error(Errc::usage, "--days must be a number from 0 to 36500");
    if (!std::isfinite(o.lock_age_minutes) || o.lock_age_minutes < 0 ||
        o.lock_age_minutes > kMaxLockAgeMinutes)
        throw Error(Errc::usage, "--lock-age must be a number of minutes from 0 to 525600");
    if (vm.count("now")) {
        // Checked before any multiplication: ages are counted in nanoseconds.
        const long long now = vm["now"].as<long long>();
        if (now < 0 || now > kMaxNow)
            throw Error(Errc::usage, "--now must be a Unix time in seconds from 0 to " +
                                         std::to_string(kMaxNow) + " (2262-04-11)");
        o.now = static_cast<std::int64_t>(now);
    }
    return o;
}

}  // namespace mspo::p1clean
