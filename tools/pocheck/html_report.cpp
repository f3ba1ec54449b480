// pocheck --html: the report as one self-contained page a person would
// rather look at than read. Inline CSS and SVG, no script, nothing fetched.
// The checklist with a verdict mark per step; a bar per mailbag (fullest
// first, 90% and 100% of the 4096 slots drawn, deleted slots apart from live
// ones); the accounts with their mailbag fill; the findings grouped by check
// in <details>; the model-fit figures (step 8); with --fix, before and after
// side by side, each snapshot and the porestore command that undoes it.
// Long lists are capped (HtmlLimits) and the page says how many are not
// drawn. Every text from the postoffice goes through html_text().
#include <algorithm>
#include <cstdio>
#include <map>

#include "html_report.hpp"
#include "mspo/base/check_table.hpp"
#include "mspo/format/key.hpp"
#include "mspo/report/safe_text.hpp"
#include "mspo/base/os.hpp"

namespace mspo::pocheck {

std::string html_text(std::string_view bytes) {
    const std::string safe = terminal_safe(bytes);
    std::string out;
    out.reserve(safe.size());
    for (char c : safe) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

namespace {

using std::to_string;

constexpr std::uint64_t kSlots = kMailbagLimit;
constexpr double kSlotsD = static_cast<double>(kMailbagLimit);

constexpr const char* kStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:1150px;color:#222;padding:0 1em}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.6em}
code,.mono{font-family:ui-monospace,monospace;font-size:.92em}code{background:#f3f3f3;padding:0 .25em}
.step{border:1px solid #ddd;border-radius:6px;padding:.5em .8em;margin:.5em 0}
.step h3{margin:0;font-size:1em}.mark{display:inline-block;width:1.4em;text-align:center;font-weight:bold}
.ok .mark{color:#1a7f37}.problem .mark{color:#cf222e}.cannot .mark{color:#9a6700}
.step.problem{border-color:#cf222e;background:#fff5f5}.step.cannot{border-color:#d4a72c;background:#fffbea}
.step ul{margin:.3em 0 .2em 1.2em;padding:0}.fix{margin:.2em 0 0 1.4em}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:1em}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.15em .4em;text-align:left;vertical-align:top}
th{background:#f6f6f6}details{margin:.3em 0}summary{cursor:pointer}.more{color:#666;font-style:italic}
.bar{display:inline-block;height:.8em;background:#3b6fb6;vertical-align:middle}.warn{background:#d4a72c}.full{background:#cf222e}
.count{color:#666}.error{color:#cf222e}
)";

enum class Mark { ok, problem, cannot };

Mark mark_of(Verdict v) {
    return v == Verdict::ok ? Mark::ok : v == Verdict::problem ? Mark::problem : Mark::cannot;
}

const char* mark_class(Verdict v) {
    switch (mark_of(v)) {
        case Mark::ok:
            return "ok";
        case Mark::problem:
            return "problem";
        case Mark::cannot:
            return "cannot";
    }
    return "cannot";
}

/// A check mark, a cross or a question mark, and the verdict in words.
std::string verdict_mark(Verdict v) {
    const char* sign = v == Verdict::ok ? "&#10004;" : v == Verdict::problem ? "&#10008;" : "?";
    return std::string("<span class=\"") + mark_class(v) + "\"><span class=\"mark\">" + sign + "</span>" +
           verdict_name(v) + "</span>";
}

std::string opt_number(const std::optional<std::uint64_t>& n) { return n ? to_string(*n) : ""; }

void page_head(std::string& out, const std::string& title) {
    out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width\">\n";
    out += "<title>" + html_text(title) + "</title>\n<style>" + std::string(kStyle) +
           "</style></head>\n<body>\n";
    out += "<h1>" + html_text(title) + "</h1>\n";
}

void checklist(std::string& out, const Checklist& list) {
    for (const auto& step : list.steps) {
        out += std::string("<div class=\"step ") + mark_class(step.verdict) + "\"><h3>";
        out += verdict_mark(step.verdict) + " &mdash; ";
        out += step.number <= 6 ? "Step " + to_string(step.number) + ": " : std::string("Then: ");
        out += html_text(step.title) + "</h3>\n<ul>";
        for (const auto& line : step.saw) out += "<li>" + html_text(line) + "</li>";
        out += "</ul>";
        if (!step.findings.empty())
            out += "<div class=\"fix count\">" + to_string(step.findings.size()) +
                   " finding(s), below by check</div>";
        if (!step.fix.empty())
            out += "<div class=\"fix\">fix: <code>" + html_text(step.fix) + "</code></div>";
        out += "</div>\n";
    }
}

/// Findings grouped by check id, in the order the checks first appear.
void findings_by_check(std::string& out, const Findings& findings, const HtmlLimits& limits) {
    if (findings.empty()) {
        out += "<p>No findings.</p>\n";
        return;
    }
    std::vector<std::string_view> order;
    std::map<std::string_view, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < findings.size(); ++i) {
        auto& g = groups[findings[i].check];
        if (g.empty()) order.push_back(findings[i].check);
        g.push_back(i);
    }
    out +=
        "<p>" + to_string(findings.size()) + " finding(s) of " + to_string(order.size()) + " check(s).</p>\n";
    std::size_t drawn = 0;
    for (const auto check : order) {
        const auto& g = groups[check];
        const Finding& first = findings[g.front()];
        out += "<details><summary><code>" + html_text(check) + "</code> <span class=\"count\">" +
               to_string(g.size()) + " &times; " + severity_name(first.severity) + "</span>";
        if (const auto* row = find_check_row(check)) out += " &mdash; " + html_text(row->finds);
        out += "</summary>\n<table><tr><th>file</th><th>record</th><th>offset</th><th>message</th></tr>\n";
        std::size_t shown = 0;
        for (std::size_t i : g) {
            if (shown == limits.findings_per_check || drawn == limits.findings) break;
            const Finding& f = findings[i];
            out += "<tr><td class=\"mono\">" + html_text(f.file) + "</td><td>" + opt_number(f.record) +
                   "</td><td>" + opt_number(f.offset) + "</td><td>" + html_text(f.message);
            if (!f.action.empty())
                out += "<br><span class=\"count\">" + std::string(f.fixed ? "done: " : "action: ") +
                       html_text(f.action) + "</span>";
            out += "</td></tr>\n";
            ++shown;
            ++drawn;
        }
        out += "</table>";
        if (g.size() > shown)
            out += "<p class=\"more\">and " + to_string(g.size() - shown) +
                   " more of this check not drawn (pocheck --json lists them all)</p>";
        out += "</details>\n";
    }
}

std::string bar_class(std::uint64_t records) {
    if (records >= kSlots) return "full";
    if (records * 10 >= kSlots * 9) return "warn";
    return "";
}

/// One horizontal bar per mailbag, fullest first: live slots, then deleted
/// slots hatched, against lines at 90% and 100% of the 4096 slots.
void mailbag_chart(std::string& out, const HtmlData& data, const HtmlLimits& limits) {
    if (!data.survey) {
        out += "<p class=\"error\">The mailbags could not be surveyed: " + html_text(data.survey_error) +
               "</p>\n";
        return;
    }
    std::vector<const MailbagInfo*> bags;
    for (const auto& m : data.survey->mailbags) bags.push_back(&m);
    std::stable_sort(bags.begin(), bags.end(),
                     [](const MailbagInfo* a, const MailbagInfo* b) { return a->records > b->records; });
    std::uint64_t near = 0, over = 0;
    for (const auto* m : bags) {
        if (m->records >= kSlots)
            ++over;
        else if (m->records * 10 >= kSlots * 9)
            ++near;
    }
    out += "<p>" + to_string(bags.size()) + " mailbag(s): " + to_string(over) + " at or over 4096 slots, " +
           to_string(near) +
           " at 90% or more. Solid: live headers; hatched: deleted slots (still used until "
           "mbgsplit compacts the mailbag).</p>\n";
    if (bags.empty()) return;
    const std::size_t n = std::min(bags.size(), limits.mailbags);
    const double top = std::max<double>(kSlotsD * 1.08, static_cast<double>(bags.front()->records));
    const int label = 240, width = 640, row = 16, head = 18;
    const auto x = [&](double v) { return static_cast<long>(label + v / top * width); };
    const int height = head + static_cast<int>(n) * row + 4;
    out += "<svg width=\"" + to_string(label + width + 200) + "\" height=\"" + to_string(height) +
           "\" role=\"img\" aria-label=\"mailbag fill\" font-size=\"11\" font-family=\"monospace\">\n";
    out +=
        "<defs><pattern id=\"del\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
        "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ddd\"/>"
        "<rect width=\"3\" height=\"6\" fill=\"#999\"/></pattern></defs>\n";
    for (std::size_t i = 0; i < n; ++i) {
        const MailbagInfo& m = *bags[i];
        const int y = head + static_cast<int>(i) * row;
        std::string name = m.stem;
        if (!m.owner.empty()) name += " " + (m.owner.size() > 24 ? m.owner.substr(0, 24) + "..." : m.owner);
        const std::uint64_t live = m.records - std::min(m.deleted, m.records);
        const char* colour = m.records >= kSlots            ? "#cf222e"
                             : m.records * 10 >= kSlots * 9 ? "#d4a72c"
                                                            : "#3b6fb6";
        out += "<g><title>" + html_text(m.stem + " " + m.owner) + ": " + to_string(m.records) +
               " slots used, " + to_string(live) + " live, " + to_string(m.deleted) + " deleted</title>";
        out += "<text x=\"0\" y=\"" + to_string(y + 12) + "\">" + html_text(name) + "</text>";
        out += "<rect x=\"" + to_string(label) + "\" y=\"" + to_string(y + 2) + "\" width=\"" +
               to_string(x(static_cast<double>(live)) - label) + "\" height=\"12\" fill=\"" + colour + "\"/>";
        if (m.deleted)
            out += "<rect x=\"" + to_string(x(static_cast<double>(live))) + "\" y=\"" + to_string(y + 2) +
                   "\" width=\"" +
                   to_string(x(static_cast<double>(m.records)) - x(static_cast<double>(live))) +
                   "\" height=\"12\" fill=\"url(#del)\"/>";
        out += "<text x=\"" + to_string(label + width + 6) + "\" y=\"" + to_string(y + 12) + "\">" +
               to_string(m.records) + " (" + to_string(m.percent()) + "%)" +
               (m.deleted ? ", " + to_string(m.deleted) + " del" : std::string()) + "</text></g>\n";
    }
    const std::pair<double, const char*> lines[] = {{kSlotsD * 0.9, "90%"}, {kSlotsD, "4096"}};
    for (const auto& [v, text] : lines) {
        const std::string xs = to_string(x(v));
        out += "<line x1=\"" + xs + "\" y1=\"" + to_string(head - 4) + "\" x2=\"" + xs + "\" y2=\"" +
               to_string(height) + "\" stroke=\"" + (v < kSlotsD ? "#d4a72c" : "#cf222e") +
               "\" stroke-dasharray=\"4 3\"/><text x=\"" + xs + "\" y=\"11\" text-anchor=\"middle\">" + text +
               "</text>\n";
    }
    out += "</svg>\n";
    if (bags.size() > n)
        out += "<p class=\"more\">and " + to_string(bags.size() - n) +
               " more mailbag(s), emptier than these, not drawn</p>\n";
}

/// The accounts, fullest mailbag first, each with its mailbag's fill.
void accounts_table(std::string& out, const HtmlData& data, const HtmlLimits& limits) {
    if (!data.accounts) {
        out +=
            "<p class=\"error\">The accounts could not be read: " + html_text(data.accounts_error) + "</p>\n";
        return;
    }
    const auto& all = data.accounts->accounts;
    struct Row {
        const Account* account;
        const MailbagInfo* bag;
    };
    std::vector<Row> rows;
    for (const auto& a : all) {
        const MailbagInfo* bag = nullptr;
        if (data.survey && a.mailbag) {
            char stem[9];
            std::snprintf(stem, sizeof stem, "%08X", static_cast<unsigned>(*a.mailbag));
            bag = find_mailbag(*data.survey, stem);
        }
        rows.push_back({&a, bag});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return (a.bag ? a.bag->records : 0) > (b.bag ? b.bag->records : 0);
    });
    std::size_t deleted = 0;
    for (const auto& a : all) deleted += a.deleted;
    out += "<details open><summary>" + to_string(all.size()) + " account(s) (" + to_string(deleted) +
           " deleted), fullest mailbag first</summary>\n<table><tr><th>#</th><th>mailbox</th><th>full "
           "name</th><th>mailbag</th><th>status</th><th>mailbag fill (of 4096)</th></tr>\n";
    const std::size_t n = std::min(rows.size(), limits.accounts);
    for (std::size_t i = 0; i < n; ++i) {
        const Account& a = *rows[i].account;
        const MailbagInfo* bag = rows[i].bag;
        out += "<tr><td>" + to_string(a.index) + "</td><td class=\"mono\">" + html_text(a.mailbox_utf8) +
               "</td><td>" + html_text(a.full_name_utf8) + "</td><td class=\"mono\">" +
               html_text(a.mailbag_text) + "</td><td>" +
               (a.deleted       ? "deleted"
                : a.status == 0 ? "active"
                                : "status " + to_string(a.status)) +
               "</td><td>";
        if (bag) {
            const std::uint64_t px = std::min<std::uint64_t>(bag->records, kSlots) * 160 / kSlots;
            out += "<span class=\"bar " + bar_class(bag->records) + "\" style=\"width:" + to_string(px) +
                   "px\"></span> " + to_string(bag->records) + " (" + to_string(bag->percent()) + "%)";
        } else {
            out += "<span class=\"count\">no mailbag found</span>";
        }
        out += "</td></tr>\n";
    }
    out += "</table>";
    if (rows.size() > n)
        out += "<p class=\"more\">and " + to_string(rows.size() - n) +
               " more account(s), with emptier mailbags, not drawn (listuser lists them all)</p>";
    out += "</details>\n";
}

void model_figures(std::string& out, const Checklist& list) {
    for (const auto& step : list.steps)
        if (step.number == 8) {
            out += "<p>" + verdict_mark(step.verdict) + "</p><ul>";
            for (const auto& line : step.saw) out += "<li>" + html_text(line) + "</li>";
            out += "</ul>\n";
            return;
        }
    out += "<p>No model report.</p>\n";
}

void postoffice_parts(std::string& out, const Checklist& list, const HtmlData& data, const HtmlLimits& limits,
                      const char* when) {
    out += std::string("<h2>Mailbags") + when +
           "</h2>\n<details open><summary>slots used of 4096, fullest first</summary>\n";
    mailbag_chart(out, data, limits);
    out += "</details>\n";
    out += std::string("<h2>Accounts") + when + "</h2>\n";
    accounts_table(out, data, limits);
    out += "<h2>Model fit</h2>\n";
    model_figures(out, list);
}

std::string counts_line(const Findings& findings) {
    const FindingCounts c = count_findings(findings);
    return to_string(c.errors) + " problem(s), " + to_string(findings.size()) + " finding(s)";
}

}  // namespace

std::string html_check_page(const Options& options, const Checklist& list, const HtmlData& data,
                            const HtmlLimits& limits) {
    std::string out;
    const std::string po = os::path_text(options.common.postoffice);
    page_head(out, "pocheck: " + po);
    out += "<p>KB Q237695 step by step, then every other check and the model report. " +
           html_text(counts_line(list.findings)) + ".</p>\n<h2>Checklist</h2>\n";
    checklist(out, list);
    postoffice_parts(out, list, data, limits, "");
    out += "<h2>Findings by check</h2>\n";
    findings_by_check(out, list.findings, limits);
    out += "</body></html>\n";
    return out;
}

std::string html_fix_page(const Options& options, const FixRun& run, const HtmlData& data,
                          const HtmlLimits& limits) {
    std::string out;
    const std::string po = os::path_text(options.common.postoffice);
    const bool dry_run = options.common.dry_run;
    page_head(out, std::string("pocheck --fix") + (dry_run ? " -n" : "") + ": " + po);
    out += dry_run ? "<p>A dry run: what each fixer would do; nothing was written.</p>\n"
                   : "<p>The check before, the fixers in the KB's order, the check after.</p>\n";
    out += "<h2>Before and after</h2>\n<table><tr><th>step</th><th>before</th><th>after</th></tr>\n";
    for (std::size_t i = 0; i < run.before.steps.size(); ++i) {
        const Step& b = run.before.steps[i];
        out += "<tr><td>" + to_string(b.number) + " " + html_text(b.name) + "</td><td>" +
               verdict_mark(b.verdict) + "</td><td>";
        if (run.after && i < run.after->steps.size())
            out += verdict_mark(run.after->steps[i].verdict);
        else
            out += "<span class=\"count\">not checked again (dry run)</span>";
        out += "</td></tr>\n";
    }
    out +=
        "</table>\n<h2>The fixers</h2>\n<table><tr><th>tool</th><th>for</th><th>what it "
        "did</th><th>snapshot</th></tr>\n";
    for (const auto& f : run.fixes) {
        out += "<tr><td>" + html_text(f.tool) + "</td><td>" + html_text(f.what) + "</td><td>" +
               state_name(f.state);
        if (f.report) {
            const FindingCounts c = count_findings(f.report->findings);
            out += dry_run ? ": " + to_string(c.errors) + " problem(s) found"
                           : ": " + to_string(c.fixed) + " fixed";
        }
        if (!f.refusal.empty()) out += "<br><span class=\"error\">" + html_text(f.refusal) + "</span>";
        out += "</td><td class=\"mono\">" +
               (f.report && f.report->snapshot ? html_text(*f.report->snapshot) : std::string()) +
               "</td></tr>\n";
    }
    out += "</table>\n";
    const auto undo = undo_commands(options, run);
    if (!undo.empty()) {
        out += "<p>To undo the changes, newest first:</p><ul>";
        for (const auto& u : undo) out += "<li><code>" + html_text(u) + "</code></li>";
        out += "</ul>\n";
    }
    out += "<h2>Checklist before and after</h2>\n<div class=\"sides\"><div><h3>Before</h3>\n";
    checklist(out, run.before);
    out += "</div><div><h3>After</h3>\n";
    if (run.after)
        checklist(out, *run.after);
    else
        out += "<p>Not checked again: a dry run changes nothing.</p>\n";
    out += "</div></div>\n";
    const Checklist& last = run.after ? *run.after : run.before;
    postoffice_parts(out, last, data, limits, run.after ? " (after)" : "");
    out += "<h2>Findings left" + std::string(run.after ? " after the fixers" : "") + " by check</h2>\n";
    findings_by_check(out, last.findings, limits);
    if (run.after) {
        out += "<h2>Findings before, by check</h2>\n";
        findings_by_check(out, run.before.findings, limits);
    }
    out += "</body></html>\n";
    return out;
}

}  // namespace mspo::pocheck
