#include "mspo/report/report.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "mspo/base/error.hpp"

#include "mspo/base/time.hpp"

namespace mspo {

namespace {

// Control characters become '?': report text goes to terminals and logs.
std::string safe(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b == 0x7F) c = '?';
    }
    return out;
}

// Columns taken on a terminal: one per UTF-8 code point.
std::size_t width(std::string_view s) {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

std::string pad_right(std::string s, std::size_t w) {
    const std::size_t have = width(s);
    if (have < w) s.append(w - have, ' ');
    return s;
}

std::string pad_left(const std::string& s, std::size_t w) {
    const std::size_t have = width(s);
    return have < w ? std::string(w - have, ' ') + s : s;
}

std::string number_or_dash(const std::optional<std::uint64_t>& v) { return v ? std::to_string(*v) : "-"; }

std::string action_text(const Finding& f, bool dry_run) {
    if (f.action.empty()) return "";
    const char* state = f.fixed ? "fixed" : dry_run ? "would" : "not done";
    return std::string(" [") + state + ": " + safe(f.action) + "]";
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string result_line(const Findings& findings) {
    if (findings.empty()) return "result: no problems found\n";
    const FindingCounts c = count_findings(findings);
    std::string line = "result: " + plural(findings.size(), "finding", "findings") + " (" +
                       plural(c.errors, "error", "errors") + ", " +
                       plural(c.warnings, "warning", "warnings") + ", " + plural(c.notes, "note", "notes") +
                       "), " + std::to_string(c.fixed) + " fixed";
    return line + "\n";
}

void append_to(const std::filesystem::path& log, std::string_view text) {
    std::ofstream f(log, std::ios::app | std::ios::binary);
    if (!f) throw Error(Errc::io, "cannot open the log for appending", log);
    f.write(text.data(), static_cast<std::streamsize>(text.size()));
    f.flush();
    if (!f) throw Error(Errc::io, "cannot append to the log", log);
}

std::string log_header(std::string_view tool, std::string_view postoffice) {
    std::string h = "==== " + utc_now_text() + " " + safe(tool);
    if (!postoffice.empty()) h += " " + safe(postoffice);
    return h + "\n";
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

std::string render_findings_text(const Findings& findings, bool dry_run, bool quiet) {
    if (findings.empty()) return "";
    const std::array<std::string, 5> titles = {"SEVERITY", "CHECK", "FILE", "RECORD", "OFFSET"};
    std::array<std::size_t, 5> w{};
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = quiet ? 0 : titles[i].size();
    for (const auto& f : findings) {
        w[0] = std::max(w[0], width(severity_name(f.severity)));
        w[1] = std::max(w[1], width(safe(f.check)));
        w[2] = std::max(w[2], width(safe(f.file)));
        w[3] = std::max(w[3], number_or_dash(f.record).size());
        w[4] = std::max(w[4], number_or_dash(f.offset).size());
    }
    std::string out;
    if (!quiet) {
        out += pad_right(titles[0], w[0]) + "  " + pad_right(titles[1], w[1]) + "  " +
               pad_right(titles[2], w[2]) + "  " + pad_left(titles[3], w[3]) + "  " +
               pad_left(titles[4], w[4]) + "  MESSAGE\n";
    }
    for (const auto& f : findings) {
        out += pad_right(severity_name(f.severity), w[0]) + "  " + pad_right(safe(f.check), w[1]) + "  " +
               pad_right(safe(f.file), w[2]) + "  " + pad_left(number_or_dash(f.record), w[3]) + "  " +
               pad_left(number_or_dash(f.offset), w[4]) + "  " + safe(f.message) + action_text(f, dry_run) +
               "\n";
    }
    return out;
}

std::string render_text(const Report& report, const TextOptions& options) {
    if (options.quiet) return render_findings_text(report.findings, report.dry_run, true);
    std::string out = safe(report.tool) + " report for " + safe(report.postoffice) + "\n";
    if (report.snapshot) out += "snapshot: " + safe(*report.snapshot) + "\n";
    if (report.dry_run) out += "dry run: nothing was written\n";
    std::size_t kw = 0;
    for (const auto& [k, v] : report.summary) kw = std::max(kw, width(safe(k)) + 1);
    for (const auto& [k, v] : report.summary)
        out += "  " + pad_right(safe(k) + ":", kw) + " " + safe(v) + "\n";
    if (!report.findings.empty()) out += "\n" + render_findings_text(report.findings, report.dry_run, false);
    out += "\n" + result_line(report.findings);
    return out;
}

std::string finding_line(std::string_view tool, const Finding& f, bool dry_run) {
    std::string line =
        safe(tool) + ": " + severity_name(f.severity) + ": " + safe(f.check) + ": " + safe(f.file);
    if (f.record) line += ": record " + std::to_string(*f.record);
    if (f.offset) line += ": offset " + std::to_string(*f.offset);
    return line + ": " + safe(f.message) + action_text(f, dry_run);
}

void append_log(const std::filesystem::path& log, const Report& report) {
    append_to(log, log_header(report.tool, report.postoffice) + render_text(report) + "\n");
}

void append_log_text(const std::filesystem::path& log, std::string_view tool, std::string_view text) {
    std::string body(text);
    if (!body.empty() && body.back() != '\n') body += '\n';
    append_to(log, log_header(tool, "") + body + "\n");
}

}  // namespace mspo
