// JSON rendering of a Report (nlohmann::json, members in a fixed order).
#include <nlohmann/json.hpp>

#include "mspo/report/report.hpp"

namespace mspo {

namespace {

using ojson = nlohmann::ordered_json;

ojson number_or_null(const std::optional<std::uint64_t>& v) { return v ? ojson(*v) : ojson(nullptr); }

// "12" -> 12; anything else (including "007", "-1" and "1.5") stays a string.
ojson summary_value(const std::string& v) {
    const bool plain = !v.empty() && v.size() <= 18 && (v == "0" || v[0] != '0') &&
                       v.find_first_not_of("0123456789") == std::string::npos;
    return plain ? ojson(std::stoull(v)) : ojson(v);
}

}  // namespace

ojson report_json(const Report& report) {
    ojson doc;
    doc["tool"] = report.tool;
    doc["postoffice"] = report.postoffice;
    doc["dry_run"] = report.dry_run;
    doc["snapshot"] = report.snapshot ? ojson(*report.snapshot) : ojson(nullptr);
    ojson summary = ojson::object();
    for (const auto& [k, v] : report.summary) summary[k] = summary_value(v);
    doc["summary"] = std::move(summary);
    ojson findings = ojson::array();
    for (const auto& f : report.findings) {
        ojson j;
        j["severity"] = severity_name(f.severity);
        j["check"] = f.check;
        j["file"] = f.file;
        j["record"] = number_or_null(f.record);
        j["offset"] = number_or_null(f.offset);
        j["message"] = f.message;
        j["action"] = f.action;
        j["fixed"] = f.fixed;
        findings.push_back(std::move(j));
    }
    doc["findings"] = std::move(findings);
    const FindingCounts c = count_findings(report.findings);
    doc["counts"] = {{"errors", c.errors}, {"warnings", c.warnings}, {"notes", c.notes}, {"fixed", c.fixed}};
    return doc;
}

std::string dump_json(const ojson& value) {
    return value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string render_json(const Report& report) { return dump_json(report_json(report)); }

}  // namespace mspo
