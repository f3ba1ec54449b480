#include <catch2/catch.hpp>

#include "mspo/cli/options.hpp"
#include "mspo/base/error.hpp"

using namespace mspo;
using namespace mspo::cli;

namespace {

ToolSpec fixer_spec() {
    return ToolSpec{"fixer", "Fixes things.", "", "fixer M:/MAILDATA\nfixer -n M:/MAILDATA", true};
}
ToolSpec reader_spec() { return ToolSpec{"reader", "Reads things.", "", "", false}; }

po::options_description reader_extra() {
    po::options_description d("Reader options");
    d.add_options()("name,n", string_value("PATTERN"), "filter by name")("full-name,f", po::bool_switch(),
                                                                         "show the full name");
    return d;
}

Errc usage_code(const ToolSpec& spec, const po::options_description& extra, std::vector<std::string> args) {
    try {
        parse_command_line(spec, extra, args);
    } catch (const Error& e) { return e.code(); }
    return Errc::io;  // "no error" marker for the tests below
}

std::string usage_message(const ToolSpec& spec, const po::options_description& extra,
                          std::vector<std::string> args) {
    try {
        parse_command_line(spec, extra, args);
    } catch (const Error& e) { return e.what(); }
    return "";
}

}  // namespace

TEST_CASE("options: common options and the postoffice", "[options]") {
    auto p = parse_command_line(fixer_spec(), {},
                                {"--json", "-v", "--log", "run.log", "--snapshot-dir", "S", "--force", "PO"});
    CHECK(p.common.json);
    CHECK(p.common.verbose);
    CHECK_FALSE(p.common.quiet);
    CHECK(p.common.force);
    CHECK_FALSE(p.common.dry_run);
    REQUIRE(p.common.log_file);
    CHECK(*p.common.log_file == "run.log");
    REQUIRE(p.common.snapshot_dir);
    CHECK(*p.common.snapshot_dir == "S");
    CHECK(p.common.postoffice == "PO");
    CHECK(p.positional("POSTOFFICE") == std::optional<std::string>("PO"));
}

TEST_CASE("options: -n means dry run for tools that write", "[options]") {
    CHECK(parse_command_line(fixer_spec(), {}, {"-n", "PO"}).common.dry_run);
    CHECK(parse_command_line(fixer_spec(), {}, {"--dry-run", "PO"}).common.dry_run);
    CHECK(parse_command_line(fixer_spec(), {}, {"PO", "-nq"}).common.quiet);
}

TEST_CASE("options: a read-only tool has no dry run and may use -n itself", "[options]") {
    auto p = parse_command_line(reader_spec(), reader_extra(), {"-n", "ADM*", "-f", "PO"});
    CHECK_FALSE(p.common.dry_run);
    CHECK(p.vm["name"].as<std::string>() == "ADM*");
    CHECK(p.vm["full-name"].as<bool>());
    CHECK(parse_command_line(reader_spec(), reader_extra(), {"-nADMIN", "PO"}).vm["name"].as<std::string>() ==
          "ADMIN");
    CHECK(usage_code(reader_spec(), reader_extra(), {"--dry-run", "PO"}) == Errc::usage);
    // --force and --snapshot-dir are accepted (and ignored by the tool).
    CHECK(parse_command_line(reader_spec(), reader_extra(), {"--force", "PO"}).common.force);
}

TEST_CASE("options: a bad option is a usage error", "[options]") {
    CHECK(usage_code(fixer_spec(), {}, {"--frobnicate", "PO"}) == Errc::usage);
    CHECK(usage_message(fixer_spec(), {}, {"--frobnicate", "PO"}).find("--frobnicate") != std::string::npos);
    CHECK(usage_code(fixer_spec(), {}, {"-Z", "PO"}) == Errc::usage);
    CHECK(usage_code(fixer_spec(), {}, {"PO", "--log"}) == Errc::usage);  // missing value
}

TEST_CASE("options: abbreviated option names are refused", "[options]") {
    CHECK(usage_code(fixer_spec(), {}, {"--dry", "PO"}) == Errc::usage);
    CHECK(usage_code(fixer_spec(), {}, {"--verb", "PO"}) == Errc::usage);
    CHECK(usage_code(reader_spec(), reader_extra(), {"--full", "PO"}) == Errc::usage);
}

TEST_CASE("options: missing POSTOFFICE", "[options]") {
    CHECK(usage_code(fixer_spec(), {}, {}) == Errc::usage);
    CHECK(usage_message(fixer_spec(), {}, {"-n"}) == "missing POSTOFFICE argument");
    CHECK(usage_code(fixer_spec(), {}, {""}) == Errc::usage);
}

TEST_CASE("options: too many positionals", "[options]") {
    CHECK(usage_message(fixer_spec(), {}, {"PO", "EXTRA"}) == "unexpected argument 'EXTRA'");
}

TEST_CASE("options: tools declare their own positionals", "[options]") {
    ToolSpec spec{"restorer", "Restores.",
                  "",         "",
                  true,       {{"SNAPSHOT", "the archive", true}, {"POSTOFFICE", "the postoffice", false}}};
    auto p = parse_command_line(spec, {}, {"snap.tar.gz", "PO"});
    CHECK(p.positional("SNAPSHOT") == std::optional<std::string>("snap.tar.gz"));
    CHECK(p.common.postoffice == "PO");
    auto q = parse_command_line(spec, {}, {"snap.tar.gz"});
    CHECK_FALSE(q.positional("POSTOFFICE"));
    CHECK(q.common.postoffice.empty());
    CHECK(usage_message(spec, {}, {}) == "missing SNAPSHOT argument");
    CHECK(usage_code(spec, {}, {"a", "b", "c"}) == Errc::usage);
}

TEST_CASE("options: --help and --version need no postoffice", "[options]") {
    CHECK(parse_command_line(fixer_spec(), {}, {"--help"}).common.help);
    CHECK(parse_command_line(fixer_spec(), {}, {"-h"}).common.help);
    CHECK(parse_command_line(fixer_spec(), {}, {"--version"}).common.version);
    CHECK(usage_code(fixer_spec(), {}, {"--help", "--nonsense"}) == Errc::usage);
}

TEST_CASE("options: --quiet and --verbose exclude each other", "[options]") {
    CHECK(usage_code(fixer_spec(), {}, {"-q", "-v", "PO"}) == Errc::usage);
}

TEST_CASE("options: `--` ends the options", "[options]") {
    auto p = parse_command_line(fixer_spec(), {}, {"--", "-odd-name"});
    CHECK(p.common.postoffice == "-odd-name");
}

TEST_CASE("options: usage text", "[options]") {
    const std::string fixer = usage_text(fixer_spec(), {});
    CHECK(fixer.rfind("usage: fixer [OPTIONS] POSTOFFICE\n", 0) == 0);
    CHECK(fixer.find("-n, --dry-run") != std::string::npos);
    CHECK(fixer.find("    --snapshot-dir DIR") != std::string::npos);
    CHECK(fixer.find("Examples:\n  fixer M:/MAILDATA\n  fixer -n M:/MAILDATA\n") != std::string::npos);
    CHECK(fixer.find("Exit codes") != std::string::npos);
    CHECK(fixer.find("  16  usage error") != std::string::npos);
    const std::string reader = usage_text(reader_spec(), reader_extra());
    CHECK(reader.find("--dry-run") == std::string::npos);
    CHECK(reader.find("\nOptions:\n  -n, --name PATTERN") != std::string::npos);
    CHECK(reader.find("ignored by this tool") != std::string::npos);
    for (std::size_t start = 0; start < reader.size();) {
        auto end = reader.find('\n', start);
        CHECK(end - start <= 79);
        start = end + 1;
    }
}

TEST_CASE("options: version text", "[options]") {
    CHECK(version_text(fixer_spec()).rfind("fixer (mspo) ", 0) == 0);
}
