// listuser: a LISTUSER clone (KB Q99419) that also reports damaged account
// records (KB Q135932, Q117738). It never writes. Built as listuser_lib so
// its option parsing is unit-tested (tests/unit/test_listuser_options.cpp).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "mspo/cli/options.hpp"

namespace mspo::listuser {

enum class SortKey { file, name, number };
enum class Format { text, csv, json };

struct Options {
    cli::CommonOptions common;
    bool full_name = false;              // -f: add the full name column
    bool deleted = false;                // -x: list deleted accounts too, with a status column
    bool mmf_size = false;               // -s: add the size of MMF/<id>.MMF, as the original's -s
    std::optional<std::string> pattern;  // -n: filter, in CP850 (converted from what was typed)
    SortKey sort = SortKey::file;        // --sort
    Format format = Format::text;        // --csv / --json
};

const cli::ToolSpec& spec();
/// The tool's own options (-f, -x, -s, -n, --sort, --csv).
const cli::po::options_description& options_description();
/// Parsed command line -> Options. Opens no file. Throws Error{usage} for a
/// bad --sort value, --csv with --json, or a pattern no CP850 name could
/// match (not UTF-8, or a character CP850 lacks).
Options options_from(const cli::Parsed& parsed);
/// parse_command_line() then options_from(): the whole command line
/// (without the program name) -> Options. Throws Error{usage}.
Options parse(const std::vector<std::string>& args);

/// Lists the accounts to `out` and the findings after them (text, JSON) or
/// on `err` (CSV); appends the report to --log. Returns 4 if damage was
/// found, else 0. Throws mspo::Error (a missing postoffice or ACCESS file is
/// Errc::not_found).
int run(const Options& options, std::ostream& out, std::ostream& err);

}  // namespace mspo::listuser
