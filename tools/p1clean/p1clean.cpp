#include "p1clean.hpp"

#include <chrono>
#include <cmath>
#include <iostream>

#include "mspo/safety/change_plan.hpp"
#include "mspo/cli/exit_codes.hpp"
#include "mspo/base/error.hpp"
#include "mspo/safety/lock.hpp"
#include "mspo/checks/p1.hpp"
#include "mspo/base/time.hpp"
#include "mspo/report/report.hpp"

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
            "process holds them; a fresh lock means External is running, and p1clean refuses\n"
            "(exit 8) unless --force. Envelopes still queued in MBG/INQUEUE3.MBG are kept, with\n"
            "a warning, unless --include-queued. Only regular files directly in P1 are touched;\n"
            "links are never followed.";
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
                        "remove files older than N days (default 2; fractions allowed)")(
            "lock-age", po::value<double>()->value_name("MINUTES"),
            "an External lock younger than this is fresh: External is running (default 10)")(
            "include-queued",
            "also remove stale envelopes still queued in INQUEUE3.MBG (they will be NDR'd)")(
            "now", po::value<long long>()->value_name("SECONDS"),
            "measure ages against this Unix time instead of the clock (reproducible reports)");
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
    if (vm.count("now")) o.now = static_cast<std::int64_t>(vm["now"].as<long long>());
    if (!std::isfinite(o.days) || o.days < 0 || o.days > 36500)
        throw Error(Errc::usage, "--days must be a number from 0 to 36500");
    if (!std::isfinite(o.lock_age_minutes) || o.lock_age_minutes < 0 || o.lock_age_minutes > 525600)
        throw Error(Errc::usage, "--lock-age must be a number of minutes from 0 to 525600");
    return o;
}

namespace {

std::int64_t now_ns(const Options& o) {
    if (o.now) return *o.now * kNsPerSecond;
    return mspo::now_ns();
}

/// The cleanup as a plan; each action names the finding it repairs.
ChangePlan to_change_plan(const P1Cleanup& cleanup, const std::string& p1_rel) {
    ChangePlan plan;
    for (std::size_t i = 0; i < cleanup.remove.size(); ++i) {
        plan.actions.emplace_back(FileAction::Kind::remove, cleanup.remove[i]);
        plan.actions.back().repairs = {cleanup.remove_repairs.at(i)};
    }
    if (cleanup.create_p1) {
        plan.actions.emplace_back(FileAction::Kind::make_dir, p1_rel);
        if (cleanup.create_repairs) plan.actions.back().repairs = {*cleanup.create_repairs};
    }
    if (cleanup.create_populate) {
        plan.actions.emplace_back(FileAction::Kind::create, p1_rel + "/" + kPopulateName);
        if (cleanup.create_repairs) plan.actions.back().repairs = {*cleanup.create_repairs};
    }
    return plan;
}

std::string plural(std::uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

int run(const Options& options, std::ostream& out, std::ostream& err, bool progress) {
    Postoffice po(options.common.postoffice);
    if (progress) err << "p1clean: scanning P1...\n";
    const P1Scan scan = scan_p1(po);
    const auto queued = queued_envelopes(po);

    std::map<std::string, std::string> held;
    for (const auto& e : scan.entries)
        if (e.kind == P1Kind::lock)
            if (auto who = probe_file_lock(po.root() / e.relpath)) held.emplace(e.relpath, *who);

    P1Policy policy;
    policy.now_ns = now_ns(options);
    policy.max_age = std::chrono::seconds(static_cast<std::int64_t>(std::llround(options.days * 86400)));
    policy.lock_age =
        std::chrono::seconds(static_cast<std::int64_t>(std::llround(options.lock_age_minutes * 60)));
    policy.include_queued = options.include_queued;
    P1Cleanup cleanup = plan_p1_cleanup(scan, queued, policy, held);

    if (!cleanup.fresh_locks.empty() && !options.common.force)
        throw Error(Errc::in_use,
                    "External is running (fresh lock " + cleanup.fresh_locks.front() +
                        "); nothing changed; stop External or use --force",
                    po.root() / cleanup.fresh_locks.front());

    Report report;
    report.tool = "p1clean";
    report.postoffice = options.common.postoffice.string();
    report.dry_run = options.common.dry_run;

    const ChangePlan plan = to_change_plan(cleanup, scan.p1_relpath);
    ApplyOptions apply;
    apply.tool = "p1clean";
    apply.snapshot_dir = options.common.snapshot_dir;
    apply.dry_run = options.common.dry_run;
    apply.force = options.common.force;
    apply.external_lock_freshness = policy.lock_age;
    if (progress && !plan.actions.empty())
        err << "p1clean: " << (options.common.dry_run ? "checking " : "snapshotting and applying ")
            << plural(plan.actions.size(), "change", "changes") << "...\n";
    const ApplyResult result = apply_plan(po, plan, apply);
    if (result.snapshot) report.snapshot = result.snapshot->string();
    for (const auto& o : result.overridden) {
        cleanup.findings.push_back(
            make_finding(CheckId::p1_forced, "P1", "refusal overridden by --force: " + o));
    }
    if (!options.common.dry_run)
        for (auto& f : cleanup.findings)
            if (f.code == CheckId::p1_lock_fresh) f.severity = Severity::warning;  // kept under --force
    mark_repaired(cleanup.findings, plan, result);
    for (auto& note : apply_notes(result)) cleanup.findings.push_back(std::move(note));
    report.findings = std::move(cleanup.findings);

    std::uint64_t locks = 0;
    for (const auto& rel : cleanup.remove)
        if (is_external_lock_name(rel.substr(rel.find('/') + 1))) ++locks;
    report.summary = {
        {"files in P1", std::to_string(scan.entries.size())},
        {options.common.dry_run ? "would remove" : "removed", std::to_string(cleanup.remove.size())},
        {"of them locks", std::to_string(locks)},
        {options.common.dry_run ? "bytes to free" : "bytes freed", std::to_string(cleanup.remove_bytes)},
        {"kept", std::to_string(cleanup.kept_files)},
        {"queued envelopes", std::to_string(queued.size())}};

    if (options.common.json)
        out << render_json(report);
    else {
        TextOptions text;
        text.quiet = options.common.quiet;
        out << render_text(report, text);
    }
    if (options.common.log_file) append_log(*options.common.log_file, report);
    return cli::exit_code_for(report);
}

}  // namespace mspo::p1clean
