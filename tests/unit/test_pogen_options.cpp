// pogen's option parsing (tools/pogen/pogen.cpp, built as pogen_lib): opens
// no file, so bad and missing arguments are tested here without a postoffice.
#include <catch2/catch.hpp>

#include "mspo/base/error.hpp"
#include "pogen.hpp"

using namespace mspo;

namespace {

pogen::Options parse(std::vector<std::string> args) {
    const auto parsed = cli::parse_command_line(pogen::cli_spec(), pogen::options_description(), args);
    return pogen::options_from(parsed);
}

Errc error_of(std::vector<std::string> args) {
    try {
        parse(std::move(args));
    } catch (const Error& e) { return e.code(); }
    return Errc::io;  // marker: no error
}

}  // namespace

TEST_CASE("pogen options: defaults and values", "[pogen_options]") {
    const auto o = parse({"OUT"});
    CHECK(o.outdir == "OUT");
    CHECK_FALSE(o.spec_file);
    CHECK(o.build.damages.empty());
    const auto p = parse({"--users", "50", "--seed", "7", "--now", "1000", "--damage", "bad-chars", "OUT"});
    CHECK(p.build.users == 50);
    CHECK(p.build.seed == 7);
    CHECK(p.build.now == 1000);
    CHECK(p.build.damages.size() == 1);
    CHECK(parse({"--now", "1999-06-01T12:00:00Z", "OUT"}).build.now == 928238400);
}

TEST_CASE("pogen options: OUTDIR is needed unless only listing", "[pogen_options]") {
    CHECK(error_of({}) == Errc::usage);
    CHECK(parse({"--list-damage"}).list_damage);
    CHECK(parse({"--print-sample"}).print_sample);
}

TEST_CASE("pogen options: bad values are usage errors", "[pogen_options]") {
    CHECK(error_of({"--now", "-1", "OUT"}) == Errc::usage);
    CHECK(error_of({"--now", "99999999999999", "OUT"}) == Errc::usage);
    CHECK(error_of({"--now", "yesterday", "OUT"}) == Errc::usage);
    CHECK(error_of({"--users", "many", "OUT"}) == Errc::usage);
    CHECK(error_of({"--users", "-3", "OUT"}) == Errc::usage);
    CHECK(error_of({"--seed", "x", "OUT"}) == Errc::usage);
    CHECK(error_of({"--damage", "no-such-kind", "OUT"}) == Errc::usage);
    CHECK(error_of({"--spe", "f", "OUT"}) == Errc::usage);  // no abbreviations
    CHECK(error_of({"OUT", "EXTRA"}) == Errc::usage);
}
