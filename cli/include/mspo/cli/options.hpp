// The shared command line of every tool (../shared/CONTRACT.md): the common
// options, the tool's own options, its positional arguments, and the usage
// text. Parsing opens no file and prints nothing, so it is unit-tested.
#pragma once

#include <boost/program_options.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mspo {
class LogFile;
}

namespace mspo::cli {

namespace po = boost::program_options;

/// The options every tool shares, with the same spelling and meaning.
struct CommonOptions {
    bool help = false;     // -h, --help
    bool version = false;  // --version
    bool dry_run = false;  // -n, --dry-run (only tools that write have it)
    bool json = false;     // --json
    bool quiet = false;    // -q, --quiet
    bool verbose = false;  // -v, --verbose
    bool force = false;    // --force (tools that never write accept and ignore it)
    std::optional<std::filesystem::path> snapshot_dir;  // --snapshot-dir DIR (ignored likewise)
    std::optional<std::filesystem::path> log_file;      // --log FILE
    /// The --log file, opened by run_tool() before the body runs (null
    /// without --log, and after parse_command_line(), which opens nothing).
    /// The body appends its report here (cli::print_report does).
    std::shared_ptr<LogFile> log;
    std::filesystem::path postoffice;  // the positional named POSTOFFICE, if the tool has one
};

/// One positional argument of a tool. Optional ones must come after the
/// required ones.
struct Positional {
    std::string name;         // "POSTOFFICE", "SNAPSHOT": shown in usage; key in Parsed::vm
    std::string description;  // one line for the usage text
    bool required = true;
};

/// What a tool is, for parsing and for its --help.
struct ToolSpec {
    std::string name;     // "listuser"
    std::string summary;  // one line: what the tool does
    std::string usage;    // a few lines under the synopsis (may be empty)
    std::string
        examples;  // example command lines, one per line, each with a short comment (indented by --help)
    bool writes = false;  // true: the tool has -n/--dry-run
    std::vector<Positional> positionals{
        {"POSTOFFICE", "the postoffice root folder (the one holding GLB, MBG, KEY, ...)", true}};
    /// The exit-code table of --help, when the tool's codes are not the
    /// suite's (porestore: 0/4/8); empty = exit_code_table().
    std::string exit_codes{};
};

struct Parsed {
    CommonOptions common;
    /// Every option, the tool's own included, plus one entry per positional
    /// given (std::string, keyed by the positional's name).
    po::variables_map vm;

    /// The value of a positional argument, or nullopt if it was not given.
    std::optional<std::string> positional(std::string_view name) const;
};

/// po::value<std::string>() named `value_name` in --help ("DIR", "PATTERN").
/// Tools use this rather than po::value<std::string>(): instantiated in a
/// tool's own file, Boost's typed_value<std::string> trips GCC 12's
/// -Wnull-dereference at -O2 (a false positive inside Boost and libstdc++).
po::typed_value<std::string>* string_value(const char* value_name);

/// The common options for `spec` ("Common options" in --help). -n/--dry-run
/// is there only if spec.writes, so a read-only tool may use -n itself.
po::options_description common_options(const ToolSpec& spec);

/// Parses `args` (argv without the program name). Abbreviated long options
/// are refused ("--dry" is not "--dry-run"). Unless --help or --version is
/// given, every required positional must be present and no extra argument
/// may follow. Opens no file, prints nothing.
/// Throws Error{Errc::usage} with a one-line message on any problem.
Parsed parse_command_line(const ToolSpec& spec, const po::options_description& extra,
                          const std::vector<std::string>& args);

/// The full --help text: synopsis, summary, arguments, the tool's options,
/// the common options, examples and the exit-code table (spec.exit_codes if
/// set, else exit_code_table()).
std::string usage_text(const ToolSpec& spec, const po::options_description& extra);

/// "<tool> (mspo) <version>\n".
std::string version_text(const ToolSpec& spec);

}  // namespace mspo::cli
