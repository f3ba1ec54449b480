#include "mspo/report/report.hpp"

#include <ostream>
#include <sstream>
#include <unordered_map>

#include "mspo/report/log_file.hpp"
#include "mspo/report/safe_text.hpp"
#include "mspo/report/table.hpp"

namespace mspo {

namespace {

std::string number_or_dash(const std::optional<std::uint64_t>& v) { return v ? std::to_string(*v) : "-"; }

std::string action_text(const Finding& f, bool dry_run) {
    if (f.action.empty()) return "";
    const char* state = f.fixed ? "fixed" : dry_run ? "would" : "not done";
    return std::string(" [") + state + ": " + f.action + "]";
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string result_line(const Findings& findings) {
    if (findings.empty()) return "result: no problems found\n";
    const FindingCounts c = count_findings(findings);
    return "result: " + plural(findings.size(), "finding", "findings") + " (" +
           plural(c.errors, "error", "errors") + ", " + plural(c.warnings, "warning", "warnings") + ", " +
           plural(c.notes, "note", "notes") + "), " + std::to_string(c.fixed) + " fixed\n";
}

// Decides, in one pass over the findings, which rows text shows, and
// summarises the rest. A fresh Selector gives the same answers again.
class Selector {
public:
    explicit Selector(const TextOptions& options) : options_(options) {}

    bool take(const Finding& f) {
        if (!options_.notes && f.severity == Severity::info && f.action.empty()) {
            ++hidden_notes_;
            return false;
        }
        if (options_.per_check == 0) return true;
        if (++seen_[f.check] <= options_.per_check) return true;
        auto [it, added] = more_index_.try_emplace(f.check, more_.size());
        if (added) more_.emplace_back(f.check, 0);
        ++more_[it->second].second;
        return false;
    }

    /// The summary lines for what take() left out, without newlines.
    std::vector<std::string> left_out() const {
        std::vector<std::string> lines;
        for (const auto& [check, n] : more_)
            lines.push_back("... and " + std::to_string(n) + " more " + std::string(check) +
                            (n == 1 ? " finding" : " findings") + " (-v or --json lists all)");
        if (hidden_notes_ > 0)
            lines.push_back("... " + plural(hidden_notes_, "note", "notes") + " not shown (-v shows " +
                            (hidden_notes_ == 1 ? "it)" : "them)"));
        return lines;
    }

private:
    const TextOptions& options_;
    std::unordered_map<std::string_view, std::size_t> seen_;
    std::unordered_map<std::string_view, std::size_t> more_index_;
    std::vector<std::pair<std::string_view, std::size_t>> more_;
    std::size_t hidden_notes_ = 0;
};

std::vector<std::string> row_of(const Finding& f, bool dry_run) {
    return {severity_name(f.severity), std::string(f.check),     f.file,
            number_or_dash(f.record),  number_or_dash(f.offset), f.message + action_text(f, dry_run)};
}

// The finding table and its "left out" lines; `blank_first` puts a blank line
// before them when there is anything to show.
void write_findings(std::ostream& out, const Findings& findings, bool dry_run, const TextOptions& options,
                    bool blank_first) {
    TextTable table(
        {{"SEVERITY"}, {"CHECK"}, {"FILE"}, {"RECORD", Align::right}, {"OFFSET", Align::right}, {"MESSAGE"}},
        !options.quiet);
    Selector measure(options);
    std::size_t rows = 0;
    for (const auto& f : findings) {
        if (!measure.take(f)) continue;
        table.measure(row_of(f, dry_run));
        ++rows;
    }
    const auto left_out = measure.left_out();
    if (rows == 0 && left_out.empty()) return;
    if (blank_first) out << '\n';
    if (rows > 0) {
        table.write_titles(out);
        Selector select(options);
        for (const auto& f : findings)
            if (select.take(f)) table.write_row(out, row_of(f, dry_run));
    }
    for (const auto& line : left_out) out << line << '\n';
}

}  // namespace

FindingCounts count_findings(const Findings& findings) noexcept {
    FindingCounts c;
    for (const auto& f : findings) {
        switch (f.severity) {
            case Severity::error:
                ++c.errors;
                break;
            case Severity::warning:
                ++c.warnings;
                break;
            case Severity::info:
                ++c.notes;
                break;
        }
        if (f.fixed) ++c.fixed;
    }
    return c;
}

void write_text(std::ostream& out, const Report& report, const TextOptions& options) {
    if (options.quiet) {
        write_findings(out, report.findings, report.dry_run, options, false);
        return;
    }
    out << terminal_safe(report.tool) << " report";
    if (!report.postoffice.empty())
        out << " for " << terminal_safe(report.postoffice);  // porestore --verify: none
    out << '\n';
    if (report.snapshot) out << "snapshot: " << terminal_safe(*report.snapshot) << '\n';
    if (report.dry_run) out << "dry run: nothing was written\n";
    std::size_t kw = 0;
    for (const auto& [k, v] : report.summary) kw = std::max(kw, text_width(terminal_safe(k)) + 1);
    for (const auto& [k, v] : report.summary) {
        std::string key = terminal_safe(k) + ":";
        key.append(kw - text_width(key), ' ');
        out << "  " << key << ' ' << terminal_safe(v) << '\n';
    }
    write_findings(out, report.findings, report.dry_run, options, true);
    out << '\n' << result_line(report.findings);
}

std::string render_text(const Report& report, const TextOptions& options) {
    std::ostringstream out;
    write_text(out, report, options);
    return out.str();
}

bool has_text(const Report& report, const TextOptions& options) noexcept {
    // Every finding gives a row or is counted in a "left out" line.
    return !options.quiet || !report.findings.empty();
}

std::string finding_line(std::string_view tool, const Finding& f, bool dry_run) {
    std::string line =
        std::string(tool) + ": " + severity_name(f.severity) + ": " + std::string(f.check) + ": " + f.file;
    if (f.record) line += ": record " + std::to_string(*f.record);
    if (f.offset) line += ": offset " + std::to_string(*f.offset);
    return terminal_safe(line + ": " + f.message + action_text(f, dry_run));
}

void write_finding_lines(std::ostream& out, std::string_view tool, const Findings& findings, bool dry_run,
                         const TextOptions& options) {
    Selector select(options);
    for (const auto& f : findings)
        if (select.take(f)) out << finding_line(tool, f, dry_run) << '\n';
    for (const auto& line : select.left_out()) out << terminal_safe(tool) << ": " << line << '\n';
}

void append_log(const std::filesystem::path& log, const Report& report) {
    LogFile::open(log)->append(report);
}

void append_log_text(const std::filesystem::path& log, std::string_view tool, std::string_view text) {
    LogFile::open(log)->append_text(tool, text);
}

}  // namespace mspo
