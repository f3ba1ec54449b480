// JSON rendering of a Report, streamed member by member (JsonWriter).
#include <ostream>
#include <sstream>

#include "mspo/report/json_writer.hpp"
#include "mspo/report/report.hpp"

namespace mspo {

namespace {

// "12" -> 12; anything else (including "007", "-1" and "1.5") stays a string.
std::optional<std::uint64_t> plain_number(const std::string& v) {
    const bool plain = !v.empty() && v.size() <= 18 && (v == "0" || v[0] != '0') &&
                       v.find_first_not_of("0123456789") == std::string::npos;
    if (!plain) return std::nullopt;
    return std::stoull(v);
}

void write_finding(JsonWriter& w, const Finding& f) {
    w.begin_object();
    w.text("severity", severity_name(f.severity));
    w.text("check", f.check);
    w.text("file", f.file);
    w.optional_number("record", f.record);
    w.optional_number("offset", f.offset);
    w.text("message", f.message);
    w.text("action", f.action);
    w.boolean("fixed", f.fixed);
    w.end_object();
}

}  // namespace

void write_json_object(JsonWriter& w, const Report& report, const std::function<void(JsonWriter&)>& extra) {
    w.begin_object();
    w.text("tool", report.tool);
    w.text("postoffice", report.postoffice);
    w.boolean("dry_run", report.dry_run);
    w.optional_text("snapshot",
                    report.snapshot ? std::optional<std::string_view>(*report.snapshot) : std::nullopt);
    w.key("summary");
    w.begin_object();
    for (const auto& [k, v] : report.summary) {
        if (const auto n = plain_number(v))
            w.number(k, *n);
        else
            w.text(k, v);
    }
    w.end_object();
    w.key("findings");
    w.begin_array();
    for (const auto& f : report.findings) write_finding(w, f);
    w.end_array();
    const FindingCounts c = count_findings(report.findings);
    w.key("counts");
    w.begin_object();
    w.number("errors", c.errors);
    w.number("warnings", c.warnings);
    w.number("notes", c.notes);
    w.number("fixed", c.fixed);
    w.end_object();
    if (extra) extra(w);
    w.end_object();
}

void write_json(std::ostream& out, const Report& report, const std::function<void(JsonWriter&)>& extra) {
    JsonWriter w(out);
    write_json_object(w, report, extra);
    w.finish();
}

std::string render_json(const Report& report) {
    std::ostringstream out;
    write_json(out, report);
    return out.str();
}

}  // namespace mspo
