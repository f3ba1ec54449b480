// mbgsplit's run: survey the mailbags (checks/mailbags.hpp), then for --check
// report; by default or with --merge plan the change (checks/mailbag_plan.hpp),
// refuse it if the MAI counters do not support our KEY model, apply it
// through the plan-snapshot-apply path and report.
#include <iostream>

#include "mbgsplit.hpp"
#include "mspo/base/error.hpp"
#include "mspo/checks/key_model.hpp"
#include "mspo/checks/mailbag_plan.hpp"
#include "mspo/cli/exit_codes.hpp"
#include "mspo/cli/output.hpp"
#include "mspo/report/json_writer.hpp"
#include "mspo/report/report.hpp"
#include "mspo/report/safe_text.hpp"
#include "mspo/safety/change_plan.hpp"
#include "mspo/safety/half_done.hpp"
#include "mspo/safety/lock.hpp"
#include "mspo/base/os.hpp"

namespace mspo::mbgsplit {

namespace {

std::string count(std::uint64_t n) { return std::to_string(n); }

void add_survey_summary(Report& report, const MailbagSurvey& survey, const MailbagLimits& limits) {
    std::uint64_t over = 0, near = 0, overflows = 0, headers = 0;
    for (const auto& m : survey.mailbags) {
        headers += m.live();
        if (m.overflow_of) ++overflows;
        if (m.records >= kMailbagLimit)
            ++over;
        else if (m.percent() >= limits.warn_percent || m.records > limits.max)
            ++near;
    }
    report.summary.emplace_back("mailbags", count(survey.mailbags.size()));
    report.summary.emplace_back("live headers", count(headers));
    report.summary.emplace_back("at or over the limit", count(over));
    report.summary.emplace_back("near the limit", count(near));
    report.summary.emplace_back("overflow mailbags", count(overflows));
}

void add_plan_summary(Report& report, const MailbagPlan& plan, bool dry_run) {
    const auto line = [&](const char* done, const char* would, std::uint64_t n) {
        report.summary.emplace_back(dry_run ? would : done, count(n));
    };
    const auto& c = plan.counts;
    report.summary.emplace_back("KEY model",
                                std::string(key_model_verdict_name(plan.fit.verdict)) + ": " + plan.fit.text);
    line("mailbags changed", "mailbags to change", c.mailbags_changed);
    line("deleted slots dropped", "deleted slots to drop", c.deleted_dropped);
    line("headers moved to overflow", "headers to move to overflow", c.moved_out);
    line("headers moved back", "headers to move back", c.moved_back);
    line("overflow mailbags created", "overflow mailbags to create", c.overflows_created);
    line("overflow mailbags removed", "overflow mailbags to remove", c.overflows_removed);
    line("KEYs cleaned", "KEYs to clean", c.keys_cleaned);
}

void json_mailbags(JsonWriter& json, const MailbagSurvey& survey) {
    json.key("mailbags");
    json.begin_array();
    for (const auto& m : survey.mailbags) {
        json.begin_object();
        json.text("mailbag", m.stem);
        json.text("file", m.mbg_relpath);
        json.text("owner", m.owner);
        json.number("slots", m.records);
        json.number("live", m.live());
        json.number("deleted", m.deleted);
        json.number("percent", m.percent());
        json.number("bits_beyond", m.bits_beyond);
        json.key("overflow_of");
        if (m.overflow_of)
            json.string(format_hex8(*m.overflow_of));
        else
            json.null();
        json.text("problem", m.problem);
        json.end_object();
    }
    json.end_array();
}

int run_check(const Options& options, std::ostream& out, std::ostream& err, const Postoffice& po,
              cli::Verbose& verbose) {
    const MailbagSurvey survey = survey_mailbags(po, options.limits);
    verbose.phase("survey");
    const KeyModelFit fit = test_key_model(po);
    verbose.phase("key model");
    Report report;
    report.tool = "mbgsplit";
    report.postoffice = os::path_text(options.common.postoffice);
    report.findings = survey.findings;
    for (auto& f : check_key_model(po, fit)) report.findings.push_back(std::move(f));
    add_survey_summary(report, survey, options.limits);
    report.summary.emplace_back("KEY model",
                                std::string(key_model_verdict_name(fit.verdict)) + ": " + fit.text);
    const TextOptions text = cli::text_options(options.common);
    if (options.csv) {
        write_survey_table(options, survey, out);
        write_finding_lines(err, "mbgsplit", report.findings, false, text);
        cli::log_report(options.common, report, text);
    } else if (options.common.json) {
        cli::print_report(options.common, report, out, text,
                          [&](JsonWriter& w) { json_mailbags(w, survey); });
    } else {
        write_survey_table(options, survey, out);
        if (has_text(report, text)) out << '\n';
        cli::print_report(options.common, report, out, text);
    }
    return cli::exit_code_for(report);
}

/// A split that a killed run left half done: its next run would plan from a
/// postoffice that is neither the old one nor the new one (some overflow
/// mailbags made, the owner's not yet cut; docs/RELIABILITY.md 7.2), so it
/// is refused, naming the snapshot that puts the old one back. --force
/// plans anyway; the override is returned for the report.
std::optional<std::string> check_half_done(const Options& options, const Postoffice& po) {
    const auto stale = options.stale_lock ? options.stale_lock : probe_stale_toolkit_lock(po.root());
    if (!stale) return std::nullopt;
    std::optional<HalfDoneRun> run;
    try {
        run = find_half_done_run(po, options.common.snapshot_dir, *stale, "mbgsplit");
    } catch (const Error& e) {
        // The dead run's snapshot cannot be read (damaged, unreadable): whether
        // its split is half done cannot be told. Refused as any unreadable
        // file is; --force plans from the postoffice as it is.
        if (!options.common.force || e.code() == Errc::interrupted) throw;
        return "the snapshot of an earlier mbgsplit run that ended without releasing its lock (" + *stale +
               ") cannot be read, so whether it left a split half done is not known (" + e.what() +
               "); planned from the postoffice as it is";
    }
    if (!run) return std::nullopt;
    std::string what = "an earlier mbgsplit run ended without finishing its change (" + run->lock_text +
                       "): of the " + count(run->files) + " files it was changing, " + count(run->done) +
                       " are changed";
    if (!run->first_done.empty()) what += " (" + run->first_done + ")";
    what += ", " + count(run->as_before + run->other) + " not";
    if (!run->first_pending.empty()) what += " (" + run->first_pending + ")";
    if (run->other > 0) what += ", " + count(run->other) + " of them changed since by something else";
    const std::string undo = "porestore " + shell_word(os::path_text(run->snapshot)) + " " +
                             shell_word(os::path_text(options.common.postoffice));
    if (!options.common.force)
        throw Error(Errc::changed,
                    what + "; put the postoffice back with `" + undo +
                        "`, then run mbgsplit again (or --force to plan from the postoffice as it is)",
                    toolkit_lock_path(po.root()));
    return what + "; planned from the postoffice as it is";
}

Report change(const Options& options, std::ostream& err, bool progress, const Postoffice& po,
              cli::Verbose& verbose) {
    const bool dry_run = options.common.dry_run;
    const auto half_done = check_half_done(options, po);
    if (progress) err << "mbgsplit: surveying the mailbags...\n";
    MailbagSurvey survey = survey_mailbags(po, options.limits);
    verbose.phase("survey");
    MailbagPlanOptions plan_options;
    plan_options.limits = options.limits;
    plan_options.merge = options.mode == Mode::merge;
    plan_options.force = options.common.force;
    if (progress) err << "mbgsplit: testing the KEY model and planning...\n";
    MailbagPlan plan = plan_mailbags(po, std::move(survey), plan_options);
    if (plan.refusal)
        throw Error(Errc::model_mismatch, *plan.refusal, os::join(po.root(), plan.refusal_file));
    verbose.say("KEY model: " + plan.fit.text);
    verbose.phase("plan");

    Report report;
    report.tool = "mbgsplit";
    report.postoffice = os::path_text(options.common.postoffice);
    report.dry_run = dry_run;
    add_plan_summary(report, plan, dry_run);

    ApplyOptions apply;
    apply.tool = "mbgsplit";
    apply.snapshot_dir = options.common.snapshot_dir;
    apply.dry_run = dry_run;
    apply.force = options.common.force;
    if (progress && !plan.plan.actions.empty())
        err << "mbgsplit: " << (dry_run ? "checking " : "snapshotting and applying ")
            << plan.plan.actions.size() << (plan.plan.actions.size() == 1 ? " change" : " changes")
            << "...\n";
    const ApplyResult result = apply_plan(po, plan.plan, apply);
    verbose.phase("apply");
    if (result.snapshot) report.snapshot = result.snapshot->string();
    if (half_done)
        plan.findings.push_back(
            make_finding(CheckId::safety_forced, "", "refusal overridden by --force: " + *half_done));
    for (const auto& o : result.overridden)
        plan.findings.push_back(
            make_finding(CheckId::safety_forced, "", "refusal overridden by --force: " + o));
    mark_repaired(plan.findings, plan.plan, result);
    for (auto& note : apply_notes(result)) plan.findings.push_back(std::move(note));
    report.findings = std::move(plan.findings);
    return report;
}

}  // namespace

Report fix(const Options& options, std::ostream& err, bool progress) {
    if (options.mode != Mode::split && options.mode != Mode::merge)
        throw Error(Errc::usage, "mbgsplit: fix() makes changes; --check and --list do not");
    cli::Verbose verbose(options.common, "mbgsplit", err);
    const Postoffice po(options.common.postoffice);
    return change(options, err, progress, po, verbose);
}

int run(const Options& options, std::ostream& out, std::ostream& err, bool progress) {
    cli::Verbose verbose(options.common, "mbgsplit", err);
    const Postoffice po(options.common.postoffice);
    switch (options.mode) {
        case Mode::check:
            return run_check(options, out, err, po, verbose);
        case Mode::list:
            return run_list(options, out, err);
        case Mode::split:
        case Mode::merge:
            break;
    }
    const Report report = change(options, err, progress, po, verbose);
    cli::print_report(options.common, report, out);
    return cli::exit_code_for(report);
}

}  // namespace mspo::mbgsplit
