// tools/palfix/options.cpp: palfix's command line, parsed without opening a file.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "mspo/base/error.hpp"
#include "options_fixture.hpp"
#include "mspo/cli/options.hpp"
#include "palfix.hpp"

using namespace mspo;

namespace {

palfix::Options parse(const std::vector<std::string>& args) {
    return palfix::options_from(cli::parse_command_line(palfix::spec(), palfix::options_description(), args));
}

std::string usage_error(const std::vector<std::string>& args) { return test::usage_error_of(parse, args); }

}  // namespace

TEST_CASE("palfix options: defaults", "[palfix][options]") {
    const auto o = parse({"/po"});
    CHECK(o.common.postoffice == "/po");
    CHECK_FALSE(o.pol_only);
    CHECK_FALSE(o.pal);
    CHECK_FALSE(o.rebuild_pol);
    CHECK_FALSE(o.quarantine);
    CHECK_FALSE(o.common.dry_run);
}

TEST_CASE("palfix options: good values", "[palfix][options]") {
    auto o = parse({"--pol-only", "--rebuild-pol", "--quarantine", "/tmp/q.txt", "-n", "/po"});
    CHECK(o.pol_only);
    CHECK(o.rebuild_pol);
    CHECK(o.quarantine == std::filesystem::path("/tmp/q.txt"));
    CHECK(o.common.dry_run);
    o = parse({"--pal", "0000002a", "/po"});
    CHECK(o.pal == 0x2Au);
    o = parse({"--pal", "FFFFFFFF", "/po"});
    CHECK(o.pal == 0xFFFFFFFFu);
    o = parse({"--pal", "00000000", "--dry-run", "/po"});
    CHECK(o.pal == 0u);
}

TEST_CASE("palfix options: --pol-only and --pal conflict", "[palfix][options]") {
    CHECK(usage_error({"--pol-only", "--pal", "0000002A", "/po"}).find("--pol-only and --pal") !=
          std::string::npos);
    CHECK(usage_error({"--pal", "0000002A", "--pol-only", "/po"}).find("--pol-only and --pal") !=
          std::string::npos);
}

TEST_CASE("palfix options: HEXID is 8 hex digits", "[palfix][options]") {
    for (const char* bad :
         {"2A", "0000002", "000000002A", "0000002G", "", " 0000002A", "0x00002A", "-0000002"})
        CHECK(usage_error({"--pal", bad, "/po"}).find("8 hex digits") != std::string::npos);
}

TEST_CASE("palfix options: missing and unknown arguments", "[palfix][options]") {
    usage_error({});                           // no POSTOFFICE
    usage_error({"--pal"});                    // no HEXID (and no POSTOFFICE)
    usage_error({"/po", "--pal"});             // no HEXID
    usage_error({"--quarantine", "", "/po"});  // an empty file name
    usage_error({"--rebuild", "/po"});         // no abbreviations
    usage_error({"--pol", "/po"});
    usage_error({"/po", "extra"});
    usage_error({"--pol-only=yes", "/po"});
}

TEST_CASE("palfix options: --help lists its options and the exit codes", "[palfix][options]") {
    const std::string help = cli::usage_text(palfix::spec(), palfix::options_description());
    for (const char* s : {"--pol-only", "--pal HEXID", "--rebuild-pol", "--quarantine FILE", "--dry-run",
                          "Exit codes", "KB Q125252"})
        CHECK(help.find(s) != std::string::npos);
}
