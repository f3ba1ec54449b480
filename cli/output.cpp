#include "mspo/cli/output.hpp"

#include <cstdio>
#include <ostream>

#include "mspo/base/os.hpp"
#include "mspo/report/log_file.hpp"
#include "mspo/report/safe_text.hpp"

namespace mspo::cli {

bool show_progress(const CommonOptions& common) { return !common.quiet && os::stderr_is_terminal(); }

TextOptions text_options(const CommonOptions& common) {
    TextOptions t;
    t.quiet = common.quiet;
    t.per_check = common.verbose ? 0 : kTextRowsPerCheck;
    t.notes = common.verbose;
    return t;
}

void log_report(const CommonOptions& common, const Report& report, const TextOptions& text) {
    if (common.log) common.log->append(report, text);
}

void print_report(const CommonOptions& common, const Report& report, std::ostream& out,
                  const TextOptions& text, const std::function<void(JsonWriter&)>& json_extra) {
    if (common.json)
        write_json(out, report, json_extra);
    else
        write_text(out, report, text);
    log_report(common, report, text);
}

void print_report(const CommonOptions& common, const Report& report, std::ostream& out,
                  const std::function<void(JsonWriter&)>& json_extra) {
    print_report(common, report, out, text_options(common), json_extra);
}

std::string seconds_text(std::chrono::steady_clock::duration d) {
    const double s = std::chrono::duration<double>(d).count();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", s);
    return buf;
}

Verbose::Verbose(const CommonOptions& common, std::string tool, std::ostream& err)
    : on_(common.verbose), tool_(std::move(tool)), err_(err), last_(std::chrono::steady_clock::now()) {}

void Verbose::say(std::string_view text) const {
    if (on_) err_ << terminal_safe(tool_) << ": " << terminal_safe(text) << '\n';
}

void Verbose::phase(std::string_view name) {
    if (!on_) return;
    const auto now = std::chrono::steady_clock::now();
    err_ << terminal_safe(tool_) << ": timing: " << terminal_safe(name) << ' ' << seconds_text(now - last_)
         << " s\n";
    last_ = now;
}

}  // namespace mspo::cli
