// tools/p1clean/options.cpp: p1clean's command line, parsed without opening a file.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "mspo/base/error.hpp"
#include "options_fixture.hpp"
#include "p1clean.hpp"

using namespace mspo;

namespace {

p1clean::Options parse(const std::vector<std::string>& args) {
    return p1clean::options_from(
        cli::parse_command_line(p1clean::spec(), p1clean::options_description(), args));
}

std::string usage_error(const std::vector<std::string>& args) { return test::usage_error_of(parse, args); }

}  // namespace

TEST_CASE("p1clean options: defaults", "[p1clean][options]") {
    const auto o = parse({"/po"});
    CHECK(o.common.postoffice == "/po");
    CHECK(o.days == 2);
    CHECK(o.lock_age_minutes == 10);
    CHECK_FALSE(o.include_queued);
    CHECK_FALSE(o.now);
    CHECK_FALSE(o.common.dry_run);
    CHECK_FALSE(o.common.verbose);
}

TEST_CASE("p1clean options: good values", "[p1clean][options]") {
    auto o = parse({"--days", "0.5", "--lock-age", "0", "--now", "0", "--include-queued", "-n", "-v", "/po"});
    CHECK(o.days == 0.5);
    CHECK(o.lock_age_minutes == 0);
    CHECK(o.now == 0);
    CHECK(o.include_queued);
    CHECK(o.common.dry_run);
    CHECK(o.common.verbose);
    o = parse({"--days", "36500", "--lock-age", "525600", "--now", std::to_string(p1clean::kMaxNow), "/po"});
    CHECK(o.days == 36500);
    CHECK(o.lock_age_minutes == 525600);
    CHECK(o.now == p1clean::kMaxNow);
    CHECK(*o.now <= std::numeric_limits<std::int64_t>::max() / kNsPerSecond);  // no overflow in nanoseconds
}

TEST_CASE("p1clean options: bad --days", "[p1clean][options]") {
    for (const char* bad : {"-1", "36501", "nan", "inf", "-inf", "1e300"})
        CHECK(usage_error({"--days", bad, "/po"}).find("--days must be a number from 0 to 36500") !=
              std::string::npos);
    usage_error({"--days", "soon", "/po"});
    usage_error({"--days", "", "/po"});
    usage_error({"--days", "2", "--days", "3", "/po"});
}

TEST_CASE("p1clean options: bad --lock-age", "[p1clean][options]") {
    for (const char* bad : {"-1", "525601", "nan", "inf"})
        CHECK(usage_error({"--lock-age", bad, "/po"}).find("--lock-age must be") != std::string::npos);
    usage_error({"--lock-age", "ten", "/po"});
}

TEST_CASE("p1clean options: bad --now, checked before any arithmetic", "[p1clean][options]") {
    const std::string range =
        "--now must be a Unix time in seconds from 0 to " + std::to_string(p1clean::kMaxNow);
    CHECK(usage_error({"--now", "99999999999999", "/po"}).find(range) != std::string::npos);
    CHECK(usage_error({"--now=-1", "/po"}).find(range) != std::string::npos);
    usage_error({"--now", "-1", "/po"});  // refused, whether Boost reads -1 as a value or an option
    CHECK(usage_error({"--now", std::to_string(p1clean::kMaxNow + 1), "/po"}).find(range) !=
          std::string::npos);
    usage_error({"--now", "99999999999999999999999", "/po"});  // does not fit in 64 bits
    usage_error({"--now", "1.5", "/po"});
    usage_error({"--now", "yesterday", "/po"});
}

TEST_CASE("p1clean options: missing and conflicting arguments", "[p1clean][options]") {
    CHECK(usage_error({}).find("missing POSTOFFICE") != std::string::npos);
    usage_error({"--days"});
    usage_error({"/po", "--days"});
    CHECK(usage_error({"/po", "extra"}).find("unexpected argument") != std::string::npos);
    CHECK(usage_error({"-q", "-v", "/po"}).find("--quiet and --verbose") != std::string::npos);
    usage_error({"--dry", "/po"});                 // no abbreviations
    usage_error({"--include", "/po"});             // not --include-queued
    usage_error({"--include-queued=yes", "/po"});  // a switch takes no value
    CHECK(parse({"--help"}).common.help);          // --help needs no postoffice
}
