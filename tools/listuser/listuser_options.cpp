// listuser's command line: its help text, its own options and their checks.
#include "listuser.hpp"

#include "mspo/base/codepage.hpp"
#include "mspo/base/error.hpp"

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
            "--force and --snapshot-dir are accepted and ignored.\n"
            "CSV is safe to open in a spreadsheet: a cell that would start with =, +, -, @,\n"
            "tab or CR starts with ' instead, so it is never run as a formula.";
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
            "csv", po::bool_switch(),
            "write the list as CSV (cells starting with = + - @ get a leading '); findings go to stderr");
        return o;
    }();
    return d;
}

Options options_from(const cli::Parsed& parsed) {
    Options o;
    o.common = parsed.common;
    const auto& vm = parsed.vm;
    o.full_name = vm["full-name"].as<bool>();
    o.deleted = vm["deleted"].as<bool>();
    o.mmf_size = vm["mmf-size"].as<bool>();
    if (vm.count("name")) {
        o.pattern = utf8_to_cp850(vm["name"].as<std::string>());
        if (!o.pattern) throw Error(Errc::usage, "--name pattern holds a character no CP850 name can hold");
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

Options parse(const std::vector<std::string>& args) {
    return options_from(cli::parse_command_line(spec(), options_description(), args));
}

}  // namespace mspo::listuser
