#include <catch2/catch.hpp>

#include "listuser.hpp"
#include "mspo/base/error.hpp"

using namespace mspo;
using namespace mspo::listuser;

namespace {

Errc code_of(const std::vector<std::string>& args) {
    try {
        parse(args);
    } catch (const Error& e) { return e.code(); }
    return Errc::io;  // "no error" marker
}

std::string message_of(const std::vector<std::string>& args) {
    try {
        parse(args);
    } catch (const Error& e) { return e.what(); }
    return "";
}

}  // namespace

TEST_CASE("listuser options: defaults", "[listuser_options]") {
    const Options o = parse({"PO"});
    CHECK(o.common.postoffice == "PO");
    CHECK_FALSE(o.full_name);
    CHECK_FALSE(o.deleted);
    CHECK_FALSE(o.mmf_size);
    CHECK_FALSE(o.pattern);
    CHECK(o.sort == SortKey::file);
    CHECK(o.format == Format::text);
}

TEST_CASE("listuser options: every option", "[listuser_options]") {
    const Options o = parse({"-f", "-x", "-s", "-n", "J\xc3\x9c*", "--sort", "number", "--csv", "PO"});
    CHECK(o.full_name);
    CHECK(o.deleted);
    CHECK(o.mmf_size);
    REQUIRE(o.pattern);
    CHECK(*o.pattern == "J\x9A*");  // converted to CP850
    CHECK(o.sort == SortKey::number);
    CHECK(o.format == Format::csv);
    CHECK(parse({"--name", "X", "--sort", "name", "PO"}).sort == SortKey::name);
    CHECK(parse({"--sort", "file", "PO"}).sort == SortKey::file);
    CHECK(parse({"--json", "PO"}).format == Format::json);
    CHECK(parse({"-fxs", "PO"}).mmf_size);
}

TEST_CASE("listuser options: -n is the name filter, never a dry run", "[listuser_options]") {
    const Options o = parse({"-n", "SM", "PO"});
    CHECK(o.pattern == std::optional<std::string>("SM"));
    CHECK_FALSE(o.common.dry_run);
    CHECK(code_of({"--dry-run", "PO"}) == Errc::usage);
}

TEST_CASE("listuser options: bad values", "[listuser_options]") {
    CHECK(code_of({"--sort", "size", "PO"}) == Errc::usage);
    CHECK(message_of({"--sort", "size", "PO"}) == "--sort must be 'name', 'number' or 'file', not 'size'");
    CHECK(code_of({"-n", "\xe2\x82\xac", "PO"}) == Errc::usage);  // the euro sign is not in CP850
    CHECK(code_of({"-n", "\xff", "PO"}) == Errc::usage);          // not UTF-8
    CHECK(message_of({"-n", "\xe2\x82\xac", "PO"}).find("CP850") != std::string::npos);
}

TEST_CASE("listuser options: missing arguments", "[listuser_options]") {
    CHECK(message_of({}) == "missing POSTOFFICE argument");
    CHECK(code_of({"-n"}) == Errc::usage);
    CHECK(code_of({"PO", "--sort"}) == Errc::usage);
    CHECK(code_of({"--log", "PO"}) == Errc::usage);  // PO taken as the log file; no POSTOFFICE left
}

TEST_CASE("listuser options: conflicting and unknown arguments", "[listuser_options]") {
    CHECK(message_of({"--csv", "--json", "PO"}) == "--csv and --json cannot be used together");
    CHECK(code_of({"-q", "-v", "PO"}) == Errc::usage);
    CHECK(code_of({"PO", "OTHER"}) == Errc::usage);
    CHECK(code_of({"--full", "PO"}) == Errc::usage);  // no abbreviations
    CHECK(code_of({"--bogus", "PO"}) == Errc::usage);
}

TEST_CASE("listuser options: parsing opens nothing", "[listuser_options]") {
    const Options o = parse({"--log", "/nonexistent-mspo/dir/run.log", "/nonexistent-mspo-po"});
    REQUIRE(o.common.log_file);
    CHECK(o.common.log == nullptr);
}

TEST_CASE("listuser options: --help names the CSV rule and the exit codes", "[listuser_options]") {
    const std::string help = cli::usage_text(spec(), options_description());
    CHECK(help.find("a cell that would start with =, +, -, @,\ntab or CR starts with '") !=
          std::string::npos);
    CHECK(help.find("   9  1 + 8") != std::string::npos);
}
