#include "listuser.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <ostream>
#include <vector>

#include "mspo/format/accounts.hpp"
#include "mspo/checks/access_checks.hpp"
#include "mspo/cli/exit_codes.hpp"
#include "mspo/base/codepage.hpp"
#include "mspo/base/bytes.hpp"
#include "mspo/base/error.hpp"
#include "mspo/report/report.hpp"

namespace mspo::listuser {

namespace po = boost::program_options;

const cli::ToolSpec& spec() {
    static const cli::ToolSpec s = [] {
        cli::ToolSpec t;
        t.name = "listuser";
        t.summary = "List the mailboxes and their 8-digit ID numbers; report damaged accounts.";
        t.usage =
            "A clone of LISTUSER (KB Q99419) for any number of accounts, in file order\n"
            "unless --sort. It also checks the account files (ACCESS.GLB, ACCESS2.GLB,\n"
            "ACCESS3.GLB) and reports, after the list: sizes that break the record size,\n"
            "record counts that differ, invalid characters (KB Q135932), ID numbers that\n"
            "are not 8 hex digits or are used twice (KB Q117738), and missing MBG or KEY\n"
            "files. Exit code 4 if it found any.\n"
            "listuser never writes: -n is the original's name filter, not a dry run, and\n"
            "--force and --snapshot-dir are accepted and ignored.";
        t.examples =
            "listuser M:\\MAILDATA              # active mailboxes and their ID numbers\n"
            "listuser -f -x /srv/po            # add full names, include deleted accounts\n"
            "listuser -n SM /srv/po            # names or ID numbers starting with SM\n"
            "listuser -n '*son' --sort name /srv/po\n"
            "listuser --csv /srv/po > users.csv";
        t.writes = false;
        return t;
    }();
    return s;
}

const po::options_description& options_description() {
    static const po::options_description d = [] {
        po::options_description o("listuser options");
        o.add_options()("full-name,f", po::bool_switch(), "add each account's full name")(
            "deleted,x", po::bool_switch(), "include deleted accounts, with a status column")(
            "mmf-size,s", po::bool_switch(), "add the size of the account's MMF/<ID>.MMF file, if any")(
            "name,n", cli::string_value("PATTERN"),
            "only accounts whose name or ID number (and full name, with -f) matches, ignoring case: "
            "plain text matches the start; * matches any text and ? one character")(
            "sort", cli::string_value("KEY"), "sort by 'name' or 'number' (default 'file': file order)")(
            "csv", po::bool_switch(), "write the list as CSV; findings go to stderr");
        return o;
    }();
    return d;
}

namespace {

// Case folding for CP850's letters: ASCII and the Latin-1 range.
char32_t fold(char32_t c) {
    if ((c >= U'A' && c <= U'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 0x20;
    return c;
}

std::u32string folded(std::string_view cp850) {
    std::u32string out;
    out.reserve(cp850.size());
    for (char ch : cp850) out.push_back(fold(cp850_to_unicode(static_cast<std::uint8_t>(ch))));
    return out;
}

// Whole-string glob match: '*' any run, '?' one character.
bool glob(std::u32string_view pat, std::u32string_view s) {
    std::size_t p = 0, i = 0, star = std::u32string_view::npos, mark = 0;
    while (i < s.size()) {
        if (p < pat.size() && (pat[p] == U'?' || pat[p] == s[i])) {
            ++p;
            ++i;
        } else if (p < pat.size() && pat[p] == U'*') {
            star = p++;
            mark = i;
        } else if (star != std::u32string_view::npos) {
            p = star + 1;
            i = ++mark;
        } else {
            return false;
        }
    }
    while (p < pat.size() && pat[p] == U'*') ++p;
    return p == pat.size();
}

struct Matcher {
    std::u32string pattern;  // folded; prefix match if it has no wildcard
    bool full_name = false;
    bool matches(const Account& a) const {
        const bool wild = pattern.find_first_of(U"*?") != std::u32string::npos;
        auto hit = [&](std::string_view cp850) {
            const std::u32string s = folded(cp850);
            return wild ? glob(pattern, s) : s.compare(0, pattern.size(), pattern) == 0;
        };
        return hit(a.mailbox) || hit(a.mailbag_text) || (full_name && hit(a.full_name));
    }
};

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

std::vector<Row> select_rows(const Options& o, const Postoffice& po, const Accounts& accounts) {
    std::optional<Matcher> matcher;
    if (o.pattern) matcher = Matcher{folded(*utf8_to_cp850(*o.pattern)), o.full_name};
    std::vector<Row> rows;
    for (const Account& a : accounts.accounts) {
        if (a.deleted && !o.deleted) continue;
        if (matcher && !matcher->matches(a)) continue;
        rows.push_back({&a, o.mmf_size ? mmf_file_size(po, a) : std::nullopt,
                        o.sort == SortKey::name ? folded(a.mailbox) : std::u32string()});
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

std::size_t columns_of(const std::string& utf8) {
    return static_cast<std::size_t>(std::count_if(
        utf8.begin(), utf8.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

void write_text(const Options& o, const std::vector<Row>& rows, std::ostream& out) {
    const auto head = titles(o, false);
    std::vector<std::size_t> w(head.size(), 0);
    if (!o.common.quiet)
        for (std::size_t i = 0; i < head.size(); ++i) w[i] = head[i].size();
    for (const Row& r : rows) {
        const auto c = cells(o, r);
        for (std::size_t i = 0; i < c.size(); ++i) w[i] = std::max(w[i], columns_of(c[i]));
    }
    auto line = [&](const std::vector<std::string>& c) {
        std::string s;
        for (std::size_t i = 0; i < c.size(); ++i) {
            s += c[i];
            if (i + 1 < c.size()) s += std::string(w[i] - columns_of(c[i]) + 2, ' ');
        }
        while (!s.empty() && s.back() == ' ') s.pop_back();
        out << s << '\n';
    };
    if (!o.common.quiet) line(head);
    for (const Row& r : rows) line(cells(o, r));
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos &&
        (s.empty() || (s.front() != ' ' && s.back() != ' ')))
        return s;
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
}

void write_csv(const Options& o, const std::vector<Row>& rows, std::ostream& out) {
    auto line = [&](const std::vector<std::string>& c) {
        for (std::size_t i = 0; i < c.size(); ++i) out << (i ? "," : "") << csv_field(c[i]);
        out << "\r\n";
    };
    line(titles(o, true));
    for (const Row& r : rows) line(cells(o, r));
}

nlohmann::ordered_json accounts_json(const Options& o, const std::vector<Row>& rows) {
    auto list = nlohmann::ordered_json::array();
    for (const Row& r : rows) {
        const Account& a = *r.account;
        nlohmann::ordered_json j;
        j["record"] = a.index;
        j["name"] = a.mailbox_utf8;
        j["id"] = id_text(a);
        if (o.deleted) j["status"] = status_text(a);
        if (o.mmf_size) j["mmf_size"] = r.mmf_size ? nlohmann::ordered_json(*r.mmf_size) : nullptr;
        if (o.full_name) j["full_name"] = a.full_name_utf8;
        list.push_back(std::move(j));
    }
    return list;
}

}  // namespace

Options options_from(const cli::Parsed& parsed) {
    Options o;
    o.common = parsed.common;
    const auto& vm = parsed.vm;
    o.full_name = vm["full-name"].as<bool>();
    o.deleted = vm["deleted"].as<bool>();
    o.mmf_size = vm["mmf-size"].as<bool>();
    if (vm.count("name")) {
        o.pattern = vm["name"].as<std::string>();
        if (!utf8_to_cp850(*o.pattern))
            throw Error(Errc::usage, "--name pattern holds a character no CP850 name can hold");
    }
    if (vm.count("sort")) {
        const std::string key = vm["sort"].as<std::string>();
        if (key == "name")
            o.sort = SortKey::name;
        else if (key == "number")
            o.sort = SortKey::number;
        else if (key == "file")
            o.sort = SortKey::file;
        else
            throw Error(Errc::usage, "--sort must be 'name', 'number' or 'file', not '" + key + "'");
    }
    const bool csv = vm["csv"].as<bool>();
    if (csv && o.common.json) throw Error(Errc::usage, "--csv and --json cannot be used together");
    o.format = csv ? Format::csv : o.common.json ? Format::json : Format::text;
    return o;
}

int run(const Options& o, std::ostream& out, std::ostream& err) {
    const Postoffice po(o.common.postoffice);
    const Accounts accounts = load_accounts(po);
    if (o.common.verbose)
        err << "listuser: read " << accounts.access2.records << " accounts from " << accounts.access2.relpath
            << '\n';

    Report report;
    report.tool = "listuser";
    report.postoffice = o.common.postoffice.string();
    report.findings = check_accounts(po, accounts);
    const std::vector<Row> rows = select_rows(o, po, accounts);
    const auto deleted = static_cast<std::size_t>(std::count_if(
        accounts.accounts.begin(), accounts.accounts.end(), [](const Account& a) { return a.deleted; }));
    report.summary = {{"accounts", std::to_string(accounts.accounts.size())},
                      {"active", std::to_string(accounts.accounts.size() - deleted)},
                      {"deleted", std::to_string(deleted)},
                      {"listed", std::to_string(rows.size())}};

    switch (o.format) {
        case Format::text:
            write_text(o, rows, out);
            if (!o.common.quiet)
                out << '\n' << render_text(report);
            else if (!report.findings.empty())
                out << '\n' << render_text(report, {true});
            break;
        case Format::csv:
            write_csv(o, rows, out);
            for (const auto& f : report.findings) err << finding_line("listuser", f, false) << '\n';
            break;
        case Format::json: {
            auto doc = report_json(report);
            doc["accounts"] = accounts_json(o, rows);
            out << dump_json(doc);
            break;
        }
    }
    if (o.common.log_file) append_log(*o.common.log_file, report);
    return cli::exit_code_for(report);
}

}  // namespace mspo::listuser
