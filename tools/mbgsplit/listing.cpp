// mbgsplit's tables: --list (one mailbag's headers, streamed twice for text:
// once to measure the columns, once to print) and the --check survey table.
#include <cstdio>
#include <iostream>

#include "mbgsplit.hpp"
#include "mspo/base/codepage.hpp"
#include "mspo/base/error.hpp"
#include "mspo/cli/exit_codes.hpp"
#include "mspo/cli/output.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/mbg.hpp"
#include "mspo/report/json_writer.hpp"
#include "mspo/report/report.hpp"
#include "mspo/report/table.hpp"
#include "mspo/base/os.hpp"

namespace mspo::mbgsplit {

namespace {

std::string count(std::uint64_t n) { return std::to_string(n); }

std::string date_text(const MbgDate& d) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04u-%02u-%02u %02u:%02u", unsigned{d.year}, unsigned{d.month},
                  unsigned{d.day}, unsigned{d.hour}, unsigned{d.minute});
    return buf;
}

std::string state_of(const MailbagInfo& m, const MailbagLimits& limits) {
    std::string s;
    const auto add = [&](const std::string& what) { s += (s.empty() ? "" : "; ") + what; };
    if (m.records >= kMailbagLimit)
        add("at or over the limit");
    else if (m.percent() >= limits.warn_percent)
        add("near the limit");
    else if (m.records > limits.max)
        add("over --max");
    if (m.bits_beyond) add("KEY bits past the end");
    if (m.overflow_of) add("overflow of " + format_hex8(*m.overflow_of));
    if (!m.problem.empty()) add(m.problem);
    return s;
}

struct HeaderRow {
    std::uint64_t slot;
    std::string state, sender, subject, date, mai;
};

HeaderRow header_row(const MbgItem& item, const std::optional<KeyFile>& key) {
    HeaderRow r;
    r.slot = item.index;
    if (!key)
        r.state = "unknown";
    else if (item.index < kMailbagLimit && key->slot_deleted(static_cast<std::size_t>(item.index)))
        r.state = "deleted";
    else
        r.state = "live";
    r.sender = cp850_to_utf8(item.record.sender());
    r.subject = cp850_to_utf8(item.record.subject());
    r.date = date_text(item.record.date());
    r.mai = cp850_to_utf8(item.record.mai_text());
    return r;
}

std::vector<std::string> header_cells(const HeaderRow& r) {
    return {count(r.slot), r.state, r.sender, r.subject, r.date, r.mai};
}

// Calls `each` for every header of the mailbag, in slot order.
template <typename F>
void for_each_header(const fs::path& mbg, const std::optional<KeyFile>& key, F each) {
    MbgReader reader(mbg);
    while (auto item = reader.next()) each(header_row(*item, key));
}

const MailbagInfo& require_mailbag(const Postoffice& po, const MailbagSurvey& survey,
                                   const std::string& stem) {
    if (const MailbagInfo* m = find_mailbag(survey, stem)) return *m;
    const std::string rel = "MBG/" + stem + ".MBG";
    if (po.find(rel)) throw Error(Errc::unsafe_path, "not a regular file; not read", po.path_for(rel));
    throw Error(Errc::not_found, "no such mailbag", po.path_for(rel));
}

}  // namespace

void write_survey_table(const Options& options, const MailbagSurvey& survey, std::ostream& out) {
    const auto cells = [&](const MailbagInfo& m) {
        return std::vector<std::string>{m.stem,
                                        m.owner,
                                        count(m.records),
                                        count(m.live()),
                                        count(m.deleted),
                                        count(m.percent()),
                                        state_of(m, options.limits)};
    };
    if (options.csv) {
        write_csv_row(out, {"mailbag", "owner", "slots", "live", "deleted", "percent", "state"});
        for (const auto& m : survey.mailbags) write_csv_row(out, cells(m));
        return;
    }
    TextTable table({{"Mailbag"},
                     {"Owner"},
                     {"Slots", Align::right},
                     {"Live", Align::right},
                     {"Deleted", Align::right},
                     {"Used %", Align::right},
                     {"State"}},
                    !options.common.quiet);
    for (const auto& m : survey.mailbags) table.measure(cells(m));
    table.write_titles(out);
    for (const auto& m : survey.mailbags) table.write_row(out, cells(m));
}

int run_list(const Options& options, std::ostream& out, std::ostream& err) {
    const Postoffice po(options.common.postoffice);
    const MailbagSurvey survey = survey_mailbags(po, options.limits);
    const MailbagInfo& m = require_mailbag(po, survey, options.list_stem);
    std::optional<KeyFile> key;
    if (m.key_usable) key = read_key(os::join(po.root(), m.key_relpath));
    const fs::path mbg = os::join(po.root(), m.mbg_relpath);

    Report report;
    report.tool = "mbgsplit";
    report.postoffice = os::path_text(options.common.postoffice);
    for (const auto& f : survey.findings)
        if (f.file == m.mbg_relpath || f.file == m.key_relpath) report.findings.push_back(f);
    report.summary = {{"mailbag", m.mbg_relpath},
                      {"owner", m.owner},
                      {"headers", count(m.records)},
                      {"live", key ? count(m.live()) : std::string("unknown")},
                      {"deleted", key ? count(m.deleted) : std::string("unknown")}};

    const TextOptions text = cli::text_options(options.common);
    if (options.csv) {
        write_csv_row(out, {"slot", "state", "sender", "subject", "date", "mai"});
        for_each_header(mbg, key, [&](const HeaderRow& r) { write_csv_row(out, header_cells(r)); });
        write_finding_lines(err, "mbgsplit", report.findings, false, text);
        cli::log_report(options.common, report, text);
    } else if (options.common.json) {
        cli::print_report(options.common, report, out, text, [&](JsonWriter& w) {
            w.key("headers");
            w.begin_array();
            for_each_header(mbg, key, [&](const HeaderRow& r) {
                w.begin_object();
                w.number("slot", r.slot);
                w.text("state", r.state);
                w.text("sender", r.sender);
                w.text("subject", r.subject);
                w.text("date", r.date);
                w.text("mai", r.mai);
                w.end_object();
            });
            w.end_array();
        });
    } else {
        TextTable table({{"Slot", Align::right}, {"State"}, {"Sender"}, {"Subject"}, {"Date"}, {"MAI"}},
                        !options.common.quiet);
        for_each_header(mbg, key, [&](const HeaderRow& r) { table.measure(header_cells(r)); });
        table.write_titles(out);
        for_each_header(mbg, key, [&](const HeaderRow& r) { table.write_row(out, header_cells(r)); });
        if (has_text(report, text)) out << '\n';
        cli::print_report(options.common, report, out, text);
    }
    return cli::exit_code_for(report);
}

}  // namespace mspo::mbgsplit
