// pocheck --fix: the check, then each fixer the check found work for, in the
// KB's order (p1clean for step 2, palfix for step 5, mbgsplit for step 6,
// then the counters no other tool owns: checks/counter_repair.hpp), each
// with its own snapshot through apply_plan, then the check again. The fixers
// run as the tools do (their fix() is what their run() prints), so --fix
// refuses, snapshots and reports exactly as they would.
#include <iostream>

#include "mbgsplit.hpp"
#include "mspo/base/check_table.hpp"
#include "mspo/base/error.hpp"
#include "mspo/checks/counter_repair.hpp"
#include "mspo/cli/exit_codes.hpp"
#include "mspo/report/safe_text.hpp"
#include "mspo/safety/change_plan.hpp"
#include "p1clean.hpp"
#include "palfix.hpp"
#include "pocheck.hpp"
#include "mspo/base/os.hpp"

namespace mspo::pocheck {

namespace {

/// True if the check showed an error or warning that `who` repairs.
bool needed(const Checklist& list, Repairer who) {
    for (const auto& f : list.findings)
        if (f.severity != Severity::info && check_row(f.code).repairer == who) return true;
    return false;
}

/// What one fixer did: its report, and why a part of it changed nothing.
struct Outcome {
    Report report;
    std::string refusal;
};

/// pocheck's own repairs: CONTROL.GLB's counters and the MAI reference
/// counters, planned by the library and applied under the name "pocheck".
/// When the MAI part is refused and CONTROL.GLB is not, CONTROL.GLB is still
/// repaired and the refusal comes back beside the report.
Outcome fix_counters(const Options& options, std::ostream& err, bool progress) {
    const Postoffice po(options.common.postoffice);
    CounterRepairOptions repair_options;
    repair_options.force = options.common.force;
    if (progress) err << "pocheck: planning the counter repairs...\n";
    CounterRepair repair = plan_counter_repairs(po, repair_options);
    if (repair.refusal && repair.plan.actions.empty())
        throw Error(Errc::model_mismatch, *repair.refusal, os::join(po.root(), repair.refusal_file));

    const bool dry_run = options.common.dry_run;
    Report report;
    report.tool = "pocheck";
    report.postoffice = os::path_text(options.common.postoffice);
    report.dry_run = dry_run;
    report.summary = {
        {dry_run ? "CONTROL.GLB counters to raise" : "CONTROL.GLB counters raised",
         std::to_string(repair.counters_raised)},
        {dry_run ? "MAI counters to raise" : "MAI counters raised", std::to_string(repair.mai_raised)},
        {dry_run ? "MAI counters to lower" : "MAI counters lowered", std::to_string(repair.mai_lowered)},
        {"left as they are", std::to_string(repair.left)}};
    if (repair.fit.mais) report.summary.emplace_back("KEY model", key_model_verdict_name(repair.fit.verdict));

    ApplyOptions apply;
    apply.tool = "pocheck";
    apply.snapshot_dir = options.common.snapshot_dir;
    apply.dry_run = dry_run;
    apply.force = options.common.force;
    const ApplyResult result = apply_plan(po, repair.plan, apply);
    if (result.snapshot) report.snapshot = result.snapshot->string();
    for (const auto& o : result.overridden)
        repair.findings.push_back(
            make_finding(CheckId::safety_forced, "", "refusal overridden by --force: " + o));
    mark_repaired(repair.findings, repair.plan, result);
    for (auto& note : apply_notes(result)) repair.findings.push_back(std::move(note));
    report.findings = std::move(repair.findings);
    Outcome out{std::move(report), {}};
    if (repair.refusal)
        out.refusal = *repair.refusal + ": " + os::path_text(os::join(po.root(), repair.refusal_file));
    return out;
}

template <class Fixer>
void run_one(FixRun& run, std::ostream& err, Repairer who, std::string tool, std::string what,
             Fixer&& fixer) {
    FixStep step;
    step.tool = std::move(tool);
    step.what = std::move(what);
    if (needed(run.before, who)) {
        try {
            Outcome out = fixer();
            step.report = std::move(out.report);
            step.state = out.refusal.empty() ? FixStep::State::done : FixStep::State::refused;
            step.refusal = std::move(out.refusal);
        } catch (const Error& e) {
            if (e.code() == Errc::interrupted || e.changes_made() > 0) throw;
            step.state = FixStep::State::refused;
            step.refusal = e.what();  // the message and the file it names
        }
        if (!step.refusal.empty())
            err << "pocheck: " << step.tool << " refused, nothing changed by it"
                << (step.report ? " in that part" : "") << ": " << terminal_safe(step.refusal) << "\n";
    }
    run.fixes.push_back(std::move(step));
}

}  // namespace

FixRun run_fix(const Options& options, std::ostream& err, bool progress) {
    FixRun run;
    std::optional<std::string> stale_lock;  // before the first fixer takes it over: mbgsplit asks
    {
        const Postoffice po(options.common.postoffice);
        if (progress) err << "pocheck: checking...\n";
        run.before = run_steps(po, options);
        stale_lock = probe_stale_toolkit_lock(po.root());
    }
    run_one(run, err, Repairer::p1clean, "p1clean", "P1 files over 2 days old (step 2)", [&] {
        p1clean::Options o;
        o.common = options.common;
        o.now = options.now;
        return Outcome{p1clean::fix(o, err, progress), {}};
    });
    run_one(run, err, Repairer::palfix, "palfix", "the POL and the PALs (step 5)", [&] {
        palfix::Options o;
        o.common = options.common;
        return Outcome{palfix::fix(o, err, progress).report, {}};
    });
    run_one(run, err, Repairer::mbgsplit, "mbgsplit", "mailbags and the 4096 limit (step 6)", [&] {
        mbgsplit::Options o;
        o.common = options.common;
        o.stale_lock = stale_lock;
        return Outcome{mbgsplit::fix(o, err, progress), {}};
    });
    run_one(run, err, Repairer::pocheck_fix, "pocheck", "CONTROL.GLB and MAI reference counters",
            [&] { return fix_counters(options, err, progress); });
    if (!options.common.dry_run) {
        const Postoffice po(options.common.postoffice);  // a new one: the fixers changed files and folders
        if (progress) err << "pocheck: checking again...\n";
        run.after = run_steps(po, options);
    }
    return run;
}

int fix_exit_code(const FixRun& run) {
    int code = cli::exit_code_for(run.after ? run.after->findings : run.before.findings) & cli::kRemain;
    for (const auto& f : run.fixes) {
        if (f.state == FixStep::State::refused) code |= cli::kOperational;
        if (f.report) code |= cli::exit_code_for(*f.report) & cli::kFixed;
    }
    return code;
}

}  // namespace mspo::pocheck
