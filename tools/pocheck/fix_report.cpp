// How a --fix run is printed: the checklist before, one line per fixer and
// its own report, the checklist after, the steps before and after side by
// side and the porestore commands that undo each change (newest first), then
// the usual report of what is left. With --json all of it as one document:
// the report, with "before", "fixes" (each fixer's report nested), "after"
// and "undo" added.
#include <ostream>

#include "mspo/cli/output.hpp"
#include "mspo/report/json_writer.hpp"
#include "mspo/report/safe_text.hpp"
#include "pocheck.hpp"
#include "mspo/base/os.hpp"

namespace mspo::pocheck {

std::vector<std::string> undo_commands(const Options& options, const FixRun& run) {
    std::vector<std::string> out;
    for (auto it = run.fixes.rbegin(); it != run.fixes.rend(); ++it)
        if (it->report && it->report->snapshot)
            out.push_back("porestore " + shell_word(*it->report->snapshot) + " " +
                          shell_word(os::path_text(options.common.postoffice)));
    return out;
}

const char* state_name(FixStep::State s) noexcept {
    switch (s) {
        case FixStep::State::not_needed:
            return "not needed";
        case FixStep::State::done:
            return "done";
        case FixStep::State::refused:
            return "refused";
    }
    return "?";
}

namespace {

/// One line per fixer: what it did, or why not.
std::string fix_line(const FixStep& f, bool dry_run) {
    std::string line = f.tool + ": " + f.what + ": ";
    switch (f.state) {
        case FixStep::State::not_needed:
            return line + "not needed (the check found nothing for it)";
        case FixStep::State::refused:
            line +=
                "refused, nothing changed" + std::string(f.report ? " in that part" : "") + ": " + f.refusal;
            if (!f.report) return line;
            line += "; ";
            break;
        case FixStep::State::done:
            break;
    }
    const FindingCounts c = count_findings(f.report->findings);
    if (dry_run)
        line += std::to_string(c.errors) + " problem(s) found; dry run, nothing written";
    else
        line += std::to_string(c.fixed) + " fixed, " +
                std::to_string(c.errors - std::min(c.errors, c.fixed)) + " left";
    if (f.report->snapshot) line += "; snapshot " + *f.report->snapshot;
    return line;
}

/// The report of what is left: the findings of the check after (before, on a
/// dry run), the findings the fixers fixed, and the steps before and after.
Report final_report(const Options& options, const FixRun& run) {
    Report r;
    r.tool = "pocheck";
    r.postoffice = os::path_text(options.common.postoffice);
    r.dry_run = options.common.dry_run;
    const Checklist& last = run.after ? *run.after : run.before;
    for (std::size_t i = 0; i < run.before.steps.size(); ++i) {
        const Step& b = run.before.steps[i];
        std::string verdict = verdict_name(b.verdict);
        if (run.after && i < run.after->steps.size())
            verdict += std::string(" -> ") + verdict_name(run.after->steps[i].verdict);
        r.summary.emplace_back(std::to_string(b.number) + " " + b.name, verdict);
    }
    for (const auto& f : run.fixes)
        if (f.report && f.report->snapshot)
            r.summary.emplace_back("snapshot (" + f.tool + ")", *f.report->snapshot);
    for (const auto& f : run.fixes)
        if (f.report)
            for (const auto& finding : f.report->findings)
                if (finding.fixed) r.findings.push_back(finding);
    for (const auto& finding : last.findings) r.findings.push_back(finding);
    return r;
}

void write_text_run(std::ostream& out, const Options& options, const FixRun& run) {
    const std::string po = os::path_text(options.common.postoffice);
    const bool dry_run = options.common.dry_run;
    write_checklist(out, "pocheck --fix: before, KB Q237695 step by step for " + po, run.before);
    out << (dry_run ? "What the fixers would do, in the KB's order (dry run: nothing is written):\n"
                    : "The fixers, in the KB's order:\n");
    for (const auto& f : run.fixes) out << "  " << terminal_safe(fix_line(f, dry_run)) << "\n";
    const TextOptions text = cli::text_options(options.common);
    for (const auto& f : run.fixes) {
        if (!f.report || !has_text(*f.report, text)) continue;
        out << "\n";
        write_text(out, *f.report, text);
    }
    out << "\n";
    if (run.after) {
        write_checklist(out, "pocheck --fix: after, KB Q237695 step by step for " + po, *run.after);
        const auto undo = undo_commands(options, run);
        if (!undo.empty()) {
            out << "To undo the changes, newest first:\n";
            for (const auto& u : undo) out << "  " << terminal_safe(u) << "\n";
            out << "\n";
        }
    }
}

void write_json_run(JsonWriter& json, const Options& options, const FixRun& run) {
    write_steps_json(json, "before", run.before);
    json.key("fixes");
    json.begin_array();
    for (const auto& f : run.fixes) {
        json.begin_object();
        json.text("tool", f.tool);
        json.text("what", f.what);
        json.text("state", state_name(f.state));
        json.optional_text("refusal",
                           f.refusal.empty() ? std::nullopt : std::optional<std::string_view>(f.refusal));
        json.key("report");
        if (f.report)
            write_json_object(json, *f.report);
        else
            json.null();
        json.end_object();
    }
    json.end_array();
    if (run.after) {
        write_steps_json(json, "after", *run.after);
    } else {
        json.key("after");
        json.null();
    }
    json.key("undo");
    json.begin_array();
    for (const auto& u : undo_commands(options, run)) json.string(u);
    json.end_array();
}

}  // namespace

void print_fix(const Options& options, const FixRun& run, std::ostream& out) {
    write_html_fix(options, run);
    if (!options.common.json && !options.common.quiet) write_text_run(out, options, run);
    const Report report = final_report(options, run);
    cli::print_report(options.common, report, out,
                      [&](JsonWriter& json) { write_json_run(json, options, run); });
}

}  // namespace mspo::pocheck
