// listuser's run: select and sort the accounts, print them, report damage.
#include "listuser.hpp"

#include <algorithm>
#include <ostream>
#include <vector>

#include "mspo/base/bytes.hpp"
#include "mspo/base/codepage.hpp"
#include "mspo/checks/access_checks.hpp"
#include "mspo/cli/exit_codes.hpp"
#include "mspo/cli/output.hpp"
#include "mspo/format/accounts.hpp"
#include "mspo/format/name_match.hpp"
#include "mspo/report/json_writer.hpp"
#include "mspo/report/report.hpp"
#include "mspo/report/table.hpp"
#include "mspo/base/os.hpp"

namespace mspo::listuser {

namespace {

struct Row {
    const Account* account;
    std::optional<std::uint64_t> mmf_size;
    std::u32string name_key;  // folded mailbox name, only for --sort name
};

std::string status_text(const Account& a) {
    if (a.status == 0) return "active";
    if (a.status == 1) return "deleted";
    return "status " + std::to_string(a.status);
}

std::string id_text(const Account& a) {
    return a.mailbag ? format_hex8(*a.mailbag) : cp850_to_utf8(a.mailbag_text);
}

bool matches(const NamePattern& pattern, const Account& a, bool full_name) {
    return pattern.matches(a.mailbox) || pattern.matches(a.mailbag_text) ||
           (full_name && pattern.matches(a.full_name));
}

std::vector<Row> select_rows(const Options& o, const Postoffice& po, const Accounts& accounts) {
    std::optional<NamePattern> pattern;
    if (o.pattern) pattern.emplace(*o.pattern);
    std::vector<Row> rows;
    for (const Account& a : accounts.accounts) {
        if (a.deleted && !o.deleted) continue;
        if (pattern && !matches(*pattern, a, o.full_name)) continue;
        rows.push_back({&a, o.mmf_size ? mmf_file_size(po, a) : std::nullopt,
                        o.sort == SortKey::name ? fold_cp850(a.mailbox) : std::u32string()});
    }
    if (o.sort == SortKey::name) {
        std::stable_sort(rows.begin(), rows.end(),
                         [](const Row& x, const Row& y) { return x.name_key < y.name_key; });
    } else if (o.sort == SortKey::number) {
        std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
            const auto& a = *x.account;
            const auto& b = *y.account;
            if (a.mailbag.has_value() != b.mailbag.has_value()) return a.mailbag.has_value();
            if (a.mailbag) return *a.mailbag < *b.mailbag;
            return a.mailbag_text < b.mailbag_text;
        });
    }
    return rows;
}

// The columns of a listing, shared by text and CSV.
std::vector<std::string> titles(const Options& o, bool csv) {
    std::vector<std::string> t = {csv ? "name" : "Name", csv ? "id" : "ID number"};
    if (o.deleted) t.emplace_back(csv ? "status" : "Status");
    if (o.mmf_size) t.emplace_back(csv ? "mmf_size" : "MMF size");
    if (o.full_name) t.emplace_back(csv ? "full_name" : "Full name");
    return t;
}

std::vector<std::string> cells(const Options& o, const Row& r) {
    const Account& a = *r.account;
    std::vector<std::string> c = {a.mailbox_utf8, id_text(a)};
    if (o.deleted) c.push_back(status_text(a));
    if (o.mmf_size) c.push_back(r.mmf_size ? std::to_string(*r.mmf_size) : "-");
    if (o.full_name) c.push_back(a.full_name_utf8);
    return c;
}

void write_text(const Options& o, const std::vector<Row>& rows, std::ostream& out) {
    std::vector<Column> columns;
    for (auto& t : titles(o, false)) columns.push_back({std::move(t)});
    TextTable table(std::move(columns), !o.common.quiet);
    for (const Row& r : rows) table.measure(cells(o, r));
    table.write_titles(out);
    for (const Row& r : rows) table.write_row(out, cells(o, r));
}

void write_csv(const Options& o, const std::vector<Row>& rows, std::ostream& out) {
    write_csv_row(out, titles(o, true));
    for (const Row& r : rows) write_csv_row(out, cells(o, r));
}

void write_accounts_json(const Options& o, const std::vector<Row>& rows, JsonWriter& w) {
    w.key("accounts");
    w.begin_array();
    for (const Row& r : rows) {
        const Account& a = *r.account;
        w.begin_object();
        w.number("record", a.index);
        w.text("name", a.mailbox_utf8);
        w.text("id", id_text(a));
        if (o.deleted) w.text("status", status_text(a));
        if (o.mmf_size) w.optional_number("mmf_size", r.mmf_size);
        if (o.full_name) w.text("full_name", a.full_name_utf8);
        w.end_object();
    }
    w.end_array();
}

}  // namespace

int run(const Options& o, std::ostream& out, std::ostream& err) {
    cli::Verbose verbose(o.common, "listuser", err);
    const Postoffice po(o.common.postoffice);
    const Accounts accounts = load_accounts(po);
    verbose.say("read " + std::to_string(accounts.access2.records) + " accounts from " +
                accounts.access2.relpath);
    verbose.phase("read");

    Report report;
    report.tool = "listuser";
    report.postoffice = os::path_text(o.common.postoffice);
    report.findings = check_accounts(po, accounts);
    verbose.phase("check");
    const std::vector<Row> rows = select_rows(o, po, accounts);
    const auto deleted = static_cast<std::size_t>(std::count_if(
        accounts.accounts.begin(), accounts.accounts.end(), [](const Account& a) { return a.deleted; }));
    report.summary = {{"accounts", std::to_string(accounts.accounts.size())},
                      {"active", std::to_string(accounts.accounts.size() - deleted)},
                      {"deleted", std::to_string(deleted)},
                      {"listed", std::to_string(rows.size())}};
    verbose.phase("select");

    const TextOptions text = cli::text_options(o.common);
    switch (o.format) {
        case Format::text:
            write_text(o, rows, out);
            if (has_text(report, text)) out << '\n';
            cli::print_report(o.common, report, out, text);
            break;
        case Format::csv:
            write_csv(o, rows, out);
            write_finding_lines(err, "listuser", report.findings, false, text);
            cli::log_report(o.common, report, text);
            break;
        case Format::json:
            cli::print_report(o.common, report, out, text,
                              [&](JsonWriter& w) { write_accounts_json(o, rows, w); });
            break;
    }
    verbose.phase("print");
    return cli::exit_code_for(report);
}

}  // namespace mspo::listuser
