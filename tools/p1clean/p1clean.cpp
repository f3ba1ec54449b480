// p1clean's run: scan P1 and the queue, decide (common/checks/p1.cpp), refuse
// while External or another process is at work, then apply the plan through
// the plan-snapshot-apply path and report.
#include "p1clean.hpp"

#include <chrono>
#include <cmath>
#include <iostream>

#include "mspo/base/error.hpp"
#include "mspo/checks/p1.hpp"
#include "mspo/cli/exit_codes.hpp"
#include "mspo/cli/output.hpp"
#include "mspo/report/report.hpp"
#include "mspo/safety/change_plan.hpp"
#include "mspo/safety/lock.hpp"
#include "mspo/base/os.hpp"

namespace mspo::p1clean {

namespace {

std::int64_t now_ns(const Options& o) {
    if (o.now) return *o.now * kNsPerSecond;  // options_from bounds it: no overflow
    return mspo::now_ns();
}

P1Policy policy_for(const Options& o) {
    P1Policy policy;
    policy.now_ns = now_ns(o);
    policy.max_age = std::chrono::seconds(static_cast<std::int64_t>(std::llround(o.days * 86400)));
    policy.lock_age = std::chrono::seconds(static_cast<std::int64_t>(std::llround(o.lock_age_minutes * 60)));
    policy.include_queued = o.include_queued;
    policy.verbose = o.common.verbose;
    policy.compact_removals = true;  // the removals' findings are made after the snapshot: fix()
    return policy;
}

/// Who holds each External lock file in P1 (only those someone holds).
std::map<std::string, std::string> held_locks(const Postoffice& po, const P1Scan& scan) {
    std::map<std::string, std::string> held;
    for (const auto& e : scan.entries)
        if (e.kind == P1Kind::lock)
            if (auto who = probe_file_lock(os::join(po.root(), e.relpath))) held.emplace(e.relpath, *who);
    return held;
}

/// The refusal a fresh or held External lock causes (External is running).
void refuse_if_external_running(const Postoffice& po, const P1Cleanup& cleanup,
                                const std::map<std::string, std::string>& held, bool force) {
    if (cleanup.fresh_locks.empty() || force) return;
    const std::string& rel = cleanup.fresh_locks.front();
    const auto h = held.find(rel);
    const std::string why = h != held.end() ? "held lock " + rel + ": " + h->second : "fresh lock " + rel;
    throw Error(Errc::in_use,
                "External is running (" + why + "); nothing changed; stop External or use --force",
                os::join(po.root(), rel));
}

/// The cleanup as a plan: the removals (action i removes remove[i]), then
/// what is created. Only the creations name the finding they repair: a
/// removal's is marked by mark_removals(), without a vector per action.
ChangePlan to_change_plan(const P1Cleanup& cleanup, const std::string& p1_rel) {
    ChangePlan plan;
    plan.actions.reserve(cleanup.remove.size() + 2);  // no copy of 100,000 actions while growing
    for (const auto& rel : cleanup.remove) plan.actions.emplace_back(FileAction::Kind::remove, rel);
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

/// mark_repaired() for the removals: the finding of removal i (at
/// remove_repairs[i]) is fixed once action i is done.
void mark_removals(Findings& findings, const std::vector<std::size_t>& repairs, const ApplyResult& result) {
    if (result.dry_run) return;
    for (std::size_t i = 0; i < repairs.size() && i < result.actions_done; ++i)
        findings.at(repairs[i]).fixed = true;
}

Finding forced(const std::string& refusal) {
    return make_finding(CheckId::p1_forced, "P1", "refusal overridden by --force: " + refusal);
}

}  // namespace

Report fix(const Options& options, std::ostream& err, bool progress) {
    const bool dry_run = options.common.dry_run;
    Postoffice po(options.common.postoffice);
    if (progress) err << "p1clean: scanning P1...\n";
    P1Scan scan = scan_p1(po);
    const QueueState queue = read_queue(po);
    const auto held = held_locks(po, scan);
    const P1Policy policy = policy_for(options);
    P1Cleanup cleanup = plan_p1_cleanup(scan, queue, policy, held);
    for (const auto& note : cleanup.kept_notes) err << finding_line("p1clean", note, dry_run) << '\n';

    refuse_if_external_running(po, cleanup, held, options.common.force);
    // (A dry run's apply_plan makes the real run's lock checks: its
    // refusals, and with --force its overrides below.)

    Report report;
    report.tool = "p1clean";
    report.postoffice = os::path_text(options.common.postoffice);
    report.dry_run = dry_run;

    std::uint64_t locks = 0;
    for (const auto& rel : cleanup.remove)
        if (is_external_lock_name(rel.substr(rel.find('/') + 1))) ++locks;
    report.summary = {{"files in P1", std::to_string(scan.entries.size())},
                      {dry_run ? "would remove" : "removed", std::to_string(cleanup.remove.size())},
                      {"of them locks", std::to_string(locks)},
                      {dry_run ? "bytes to free" : "bytes freed", std::to_string(cleanup.remove_bytes)},
                      {"kept", std::to_string(cleanup.kept_files)},
                      {"queued envelopes", std::to_string(queue.queued.size())}};
    if (!queue.trusted) report.summary.emplace_back("queue", "not trusted: " + queue.problem);
    // The scan goes before the plan is made, and the removal list once it is
    // made (the plan holds every path from there), so 100,000 removals are
    // never held three times over. The removals' findings are made only
    // once the plan and the snapshot's manifest are gone (each removal
    // holds its small P1Removal until then): docs/PERFORMANCE.md, "p1clean
    // peak memory".
    std::vector<P1Entry>().swap(scan.entries);
    Findings().swap(cleanup.kept_notes);
    ChangePlan plan = to_change_plan(cleanup, scan.p1_relpath);
    std::vector<std::string>().swap(cleanup.remove);

    ApplyOptions apply;
    apply.tool = "p1clean";
    apply.snapshot_dir = options.common.snapshot_dir;
    apply.dry_run = dry_run;
    apply.force = options.common.force;
    apply.external_lock_freshness = policy.lock_age;
    if (progress && !plan.actions.empty())
        err << "p1clean: " << (dry_run ? "checking " : "snapshotting and applying ")
            << plural(plan.actions.size(), "change", "changes") << "...\n";
    ApplyResult result = apply_plan(po, plan, apply);
    std::vector<std::string>().swap(result.resolved_paths);
    // The removals' paths come back from the plan (action i removes
    // remove[i]); the plan goes before their findings are made, once the
    // creations' findings it repairs are marked.
    std::vector<std::string> removed(cleanup.removals.size());
    for (std::size_t i = 0; i < removed.size(); ++i) removed[i] = std::move(plan.actions.at(i).relpath);
    ChangePlan creations;
    for (std::size_t i = removed.size(); i < plan.actions.size(); ++i)
        creations.actions.push_back(plan.actions[i]);
    const std::size_t removals = removed.size();
    std::vector<FileAction>().swap(plan.actions);
    Findings findings = all_p1_findings(cleanup, removed);
    std::vector<std::string>().swap(removed);
    if (result.snapshot) report.snapshot = result.snapshot->string();
    for (const auto& o : result.overridden) findings.push_back(forced(o));
    if (!dry_run)
        for (auto& f : findings)
            if (f.code == CheckId::p1_lock_fresh) f.severity = Severity::warning;  // kept under --force
    mark_removals(findings, cleanup.remove_repairs, result);
    ApplyResult creations_result = result;  // the creations' actions, counted from theirs
    creations_result.actions_done = result.actions_done > removals ? result.actions_done - removals : 0;
    mark_repaired(findings, creations, creations_result);
    for (auto& note : apply_notes(result)) findings.push_back(std::move(note));
    report.findings = std::move(findings);
    return report;
}

int run(const Options& options, std::ostream& out, std::ostream& err, bool progress) {
    const Report report = fix(options, err, progress);
    cli::print_report(options.common, report, out);  // stdout, and the --log run_tool opened first
    return cli::exit_code_for(report);
}

}  // namespace mspo::p1clean
