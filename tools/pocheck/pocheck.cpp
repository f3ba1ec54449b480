// pocheck's run: the checklist (steps.cpp), printed as lines a person can
// tick off, then the usual report (findings table, result line); with --json
// both as one document (the steps through print_report's json_extra hook).
#include "pocheck.hpp"

#include <algorithm>
#include <iostream>

#include "mspo/cli/exit_codes.hpp"
#include "mspo/cli/output.hpp"
#include "mspo/report/json_writer.hpp"
#include "mspo/report/report.hpp"
#include "mspo/report/safe_text.hpp"
#include "mspo/base/os.hpp"

namespace mspo::pocheck {

namespace {

/// Finding lines shown under a step; the rest are in the table below.
constexpr std::size_t kLinesPerStep = 5;

}  // namespace

void write_checklist(std::ostream& out, const std::string& heading, const Checklist& list) {
    out << terminal_safe(heading) << "\n";
    for (const auto& step : list.steps) {
        out << "\n";
        if (step.number <= 6)
            out << "Step " << step.number << "  ";
        else
            out << "Then    ";
        out << terminal_safe(step.title) << "  [" << verdict_name(step.verdict) << "]\n";
        for (const auto& line : step.saw) out << "    - " << terminal_safe(line) << "\n";
        std::size_t shown = 0;
        for (std::size_t i : step.findings) {
            if (shown == kLinesPerStep) break;
            const Finding& f = list.findings[i];
            out << "    ! " << severity_name(f.severity) << " " << f.check << " " << terminal_safe(f.file)
                << ": " << terminal_safe(f.message) << "\n";
            ++shown;
        }
        if (step.findings.size() > shown)
            out << "    ! ... and " << step.findings.size() - shown << " more in the table below\n";
        if (!step.fix.empty()) out << "    fix: " << terminal_safe(step.fix) << "\n";
    }
    out << "\n";
}

void write_steps_json(JsonWriter& json, std::string_view key, const Checklist& list) {
    json.key(key);
    json.begin_array();
    for (const auto& step : list.steps) {
        json.begin_object();
        json.number("number", static_cast<std::uint64_t>(step.number));
        json.text("title", step.title);
        json.text("verdict", verdict_name(step.verdict));
        json.key("summary");
        json.begin_array();
        for (const auto& line : step.saw) json.string(line);
        json.end_array();
        json.optional_text("fix",
                           step.fix.empty() ? std::nullopt : std::optional<std::string_view>(step.fix));
        json.key("findings");
        json.begin_array();
        for (std::size_t i : step.findings) json.number(static_cast<std::uint64_t>(i));
        json.end_array();
        json.key("checks");
        json.begin_array();
        std::vector<std::string_view> seen;
        for (std::size_t i : step.findings) {
            const auto c = list.findings[i].check;
            if (std::find(seen.begin(), seen.end(), c) != seen.end()) continue;
            seen.push_back(c);
            json.string(c);
        }
        json.end_array();
        json.end_object();
    }
    json.end_array();
}

int run(const Options& options, std::ostream& out, std::ostream& err, bool progress) {
    if (options.fix) {
        const FixRun fixed = run_fix(options, err, progress);
        print_fix(options, fixed, out);
        return fix_exit_code(fixed);
    }
    cli::Verbose verbose(options.common, "pocheck", err);
    Postoffice po(options.common.postoffice);
    if (progress) err << "pocheck: checking...\n";
    Checklist list = run_steps(po, options);
    verbose.phase("check");
    write_html_check(options, list);

    Report report;
    report.tool = "pocheck";
    report.postoffice = os::path_text(options.common.postoffice);
    for (const auto& step : list.steps)
        report.summary.emplace_back(std::to_string(step.number) + " " + step.name,
                                    verdict_name(step.verdict));
    report.findings = list.findings;

    if (!options.common.json && !options.common.quiet)
        write_checklist(
            out, "pocheck: KB Q237695 step by step for " + os::path_text(options.common.postoffice), list);
    cli::print_report(options.common, report, out,
                      [&](JsonWriter& json) { write_steps_json(json, "steps", list); });
    return cli::exit_code_for(report);
}

}  // namespace mspo::pocheck
