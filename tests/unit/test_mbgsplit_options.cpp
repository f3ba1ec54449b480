// tools/mbgsplit/options.cpp: mbgsplit's command line, parsed without opening a file.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "mbgsplit.hpp"
#include "mspo/cli/options.hpp"
#include "options_fixture.hpp"

using namespace mspo;

namespace {

mbgsplit::Options parse(const std::vector<std::string>& args) {
    return mbgsplit::options_from(
        cli::parse_command_line(mbgsplit::spec(), mbgsplit::options_description(), args));
}

std::string usage_error(const std::vector<std::string>& args) { return test::usage_error_of(parse, args); }

}  // namespace

TEST_CASE("mbgsplit options: defaults", "[mbgsplit][options]") {
    const auto o = parse({"/po"});
    CHECK(o.common.postoffice == "/po");
    CHECK(o.mode == mbgsplit::Mode::split);
    CHECK(o.limits.max == 4000u);
    CHECK(o.limits.warn_percent == 90u);
    CHECK_FALSE(o.csv);
}

TEST_CASE("mbgsplit options: modes and values", "[mbgsplit][options]") {
    auto o = parse({"--check", "--csv", "--warn", "75", "/po"});
    CHECK(o.mode == mbgsplit::Mode::check);
    CHECK(o.csv);
    CHECK(o.limits.warn_percent == 75u);
    o = parse({"--list", "0000002a", "/po"});
    CHECK(o.mode == mbgsplit::Mode::list);
    CHECK(o.list_stem == "0000002A");
    o = parse({"--list", "inqueue3", "--json", "/po"});
    CHECK(o.list_stem == "INQUEUE3");
    o = parse({"--merge", "--max", "4095", "-n", "/po"});
    CHECK(o.mode == mbgsplit::Mode::merge);
    CHECK(o.limits.max == 4095u);
    CHECK(o.common.dry_run);
    CHECK(parse({"--max", "1", "/po"}).limits.max == 1u);
    CHECK(parse({"--warn", "100", "/po"}).limits.warn_percent == 100u);
}

TEST_CASE("mbgsplit options: bad values are usage errors", "[mbgsplit][options]") {
    for (const char* bad : {"0", "4096", "-1", "99999999999"})
        CHECK(usage_error({"--max", bad, "/po"}).find("--max must be 1 to 4095") != std::string::npos);
    for (const char* bad : {"0", "101", "-5"})
        CHECK(usage_error({"--warn", bad, "/po"}).find("--warn must be") != std::string::npos);
    CHECK(usage_error({"--check", "--merge", "/po"}).find("cannot be used together") != std::string::npos);
    CHECK(usage_error({"--list", "0000002A", "--check", "/po"}).find("cannot be used together") !=
          std::string::npos);
    CHECK(usage_error({"--csv", "/po"}).find("--csv needs --check or --list") != std::string::npos);
    CHECK(usage_error({"--merge", "--csv", "/po"}).find("--csv needs") != std::string::npos);
    CHECK(usage_error({"--check", "--csv", "--json", "/po"}).find("--csv and --json") != std::string::npos);
    for (const char* bad : {"2A", "0000002G", "../../x", "", "INQUEUE4", "0x00002A"})
        CHECK(usage_error({"--list", bad, "/po"}).find("--list needs a mailbag") != std::string::npos);
}
