// GCC 12 at -O2 reports a false -Wnull-dereference inside libstdc++ when it
// inlines Boost's typed_value<std::string>::notify; this file is where that
// template is instantiated (string_value), so the warning is off here only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wnull-dereference"
#endif

#include "mspo/cli/options.hpp"

#include <sstream>

#include "mspo/cli/exit_codes.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/os.hpp"

#ifndef MSPO_VERSION
#define MSPO_VERSION "0.1.0"
#endif

namespace mspo::cli {

namespace {

constexpr const char* kPositionalKey = "mspo-positional";
constexpr std::size_t kHelpColumn = 28;
constexpr std::size_t kLineWidth = 79;

// "-n, --dry-run" / "    --json" / "    --log FILE": the left column of --help.
std::string option_label(const po::option_description& opt) {
    std::string label = "  ";
    const std::string shrt = opt.canonical_display_name(po::command_line_style::allow_dash_for_short);
    const bool has_short = shrt.size() == 2 && shrt[0] == '-';
    label += has_short ? shrt + ", " : "    ";
    label += "--" + opt.long_name();
    const std::string param = opt.format_parameter();
    if (!param.empty()) label += " " + param;
    return label;
}

// Word-wraps `text` into lines of kLineWidth, every line but the first
// indented to kHelpColumn.
void append_wrapped(std::string& out, std::string_view text) {
    std::size_t col = kHelpColumn;
    std::istringstream words{std::string(text)};
    std::string word;
    bool first = true;
    while (words >> word) {
        if (!first && col + 1 + word.size() > kLineWidth) {
            out += "\n" + std::string(kHelpColumn, ' ');
            col = kHelpColumn;
            first = true;
        }
        if (!first) {
            out += ' ';
            ++col;
        }
        out += word;
        col += word.size();
        first = false;
    }
}

std::string format_options(const po::options_description& desc) {
    std::string out;
    for (const auto& opt : desc.options()) {
        std::string label = option_label(*opt);
        out += label;
        if (label.size() + 2 > kHelpColumn)
            out += "\n" + std::string(kHelpColumn, ' ');
        else
            out += std::string(kHelpColumn - label.size(), ' ');
        append_wrapped(out, opt->description());
        out += '\n';
    }
    return out;
}

[[noreturn]] void usage_error(const std::string& what) { throw Error(Errc::usage, what); }

void fill_common(CommonOptions& c, const po::variables_map& vm) {
    c.help = vm.count("help") != 0 && vm["help"].as<bool>();
    c.version = vm.count("version") != 0 && vm["version"].as<bool>();
    c.dry_run = vm.count("dry-run") != 0 && vm["dry-run"].as<bool>();
    c.json = vm["json"].as<bool>();
    c.quiet = vm["quiet"].as<bool>();
    c.verbose = vm["verbose"].as<bool>();
    c.force = vm["force"].as<bool>();
    if (vm.count("snapshot-dir")) c.snapshot_dir = os::path_from_text(vm["snapshot-dir"].as<std::string>());
    if (vm.count("log")) c.log_file = os::path_from_text(vm["log"].as<std::string>());
}

void assign_positionals(const ToolSpec& spec, Parsed& p, bool check) {
    std::vector<std::string> given;
    if (p.vm.count(kPositionalKey)) given = p.vm[kPositionalKey].as<std::vector<std::string>>();
    if (check && given.size() > spec.positionals.size())
        usage_error("unexpected argument '" + given[spec.positionals.size()] + "'");
    for (std::size_t i = 0; i < spec.positionals.size(); ++i) {
        const Positional& pos = spec.positionals[i];
        if (i < given.size()) {
            if (check && given[i].empty()) usage_error(pos.name + " is empty");
            p.vm.insert({pos.name, po::variable_value(given[i], false)});
            if (pos.name == "POSTOFFICE") p.common.postoffice = os::path_from_text(given[i]);
        } else if (check && pos.required) {
            usage_error("missing " + pos.name + " argument");
        }
    }
}

}  // namespace

std::optional<std::string> Parsed::positional(std::string_view name) const {
    auto it = vm.find(std::string(name));
    if (it == vm.end()) return std::nullopt;
    return it->second.as<std::string>();
}

po::typed_value<std::string>* string_value(const char* value_name) {
    return po::value<std::string>()->value_name(value_name);
}

po::options_description common_options(const ToolSpec& spec) {
    po::options_description d("Common options");
    const std::string nowrite = spec.writes ? "" : " (accepted for uniformity; ignored by this tool)";
    // clang-format off
    d.add_options()
        ("help,h", po::bool_switch(), "show this help and exit")
        ("version", po::bool_switch(), "show the version and exit");
    if (spec.writes)
        d.add_options()("dry-run,n", po::bool_switch(),
                        "report exactly what would change and write nothing at all, not even a snapshot");
    d.add_options()
        ("json", po::bool_switch(),
         "write the report as one JSON document on stdout; an error is one JSON document too")
        ("quiet,q", po::bool_switch(), "print less: no headers or summary, only data and findings")
        ("verbose,v", po::bool_switch(),
         "print more: every finding (text shows 20 per check otherwise) and every note; "
         "details and timings on stderr")
        ("snapshot-dir", string_value("DIR"),
         ("folder for snapshot archives (default: POSTOFFICE/../<name>.snapshots)" + nowrite).c_str())
        ("force", po::bool_switch(), ("override a safety refusal" + nowrite).c_str())
        ("log", string_value("FILE"),
         "append a plain-text transcript to FILE (a regular file outside the postoffice, opened before "
         "anything is done)");
    // clang-format on
    return d;
}

Parsed parse_command_line(const ToolSpec& spec, const po::options_description& extra,
                          const std::vector<std::string>& args) {
    po::options_description hidden;
    hidden.add_options()(kPositionalKey, po::value<std::vector<std::string>>());
    po::options_description all;
    all.add(common_options(spec)).add(extra).add(hidden);
    po::positional_options_description pos;
    pos.add(kPositionalKey, -1);

    Parsed p;
    const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    try {
        po::store(po::command_line_parser(args).options(all).positional(pos).style(style).run(), p.vm);
        po::notify(p.vm);
    } catch (const po::error& e) { usage_error(e.what()); }
    fill_common(p.common, p.vm);
    const bool check = !p.common.help && !p.common.version;
    assign_positionals(spec, p, check);
    if (check && p.common.quiet && p.common.verbose)
        usage_error("--quiet and --verbose cannot be used together");
    return p;
}

std::string usage_text(const ToolSpec& spec, const po::options_description& extra) {
    std::string out = "usage: " + spec.name + " [OPTIONS]";
    for (const auto& pos : spec.positionals) out += pos.required ? " " + pos.name : " [" + pos.name + "]";
    out += "\n\n" + spec.summary + "\n";
    if (!spec.usage.empty()) out += "\n" + spec.usage + (spec.usage.back() == '\n' ? "" : "\n");
    if (!spec.positionals.empty()) {
        out += "\nArguments:\n";
        for (const auto& pos : spec.positionals) {
            std::string label = "  " + pos.name;
            out += label + std::string(label.size() + 2 > kHelpColumn ? 2 : kHelpColumn - label.size(), ' ');
            append_wrapped(out, pos.description);
            out += '\n';
        }
    }
    if (!extra.options().empty()) {
        out += "\nOptions:\n";
        out += format_options(extra);
    }
    out += "\nCommon options:\n" + format_options(common_options(spec));
    if (!spec.examples.empty()) {
        out += "\nExamples:\n";
        std::istringstream lines(spec.examples);
        for (std::string line; std::getline(lines, line);) out += line.empty() ? "\n" : "  " + line + "\n";
    }
    out += "\n";
    out += spec.exit_codes.empty() ? std::string(exit_code_table()) : spec.exit_codes;
    return out;
}

std::string version_text(const ToolSpec& spec) { return spec.name + " (mspo) " MSPO_VERSION "\n"; }

}  // namespace mspo::cli
