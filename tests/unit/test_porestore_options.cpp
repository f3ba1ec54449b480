// porestore's command line (tools/porestore, porestore_lib): parsing opens no
// file, so bad values, missing and conflicting arguments are tested here.
#include <catch2/catch.hpp>

#include "mspo/base/error.hpp"
#include "options_fixture.hpp"
#include "mspo/cli/options.hpp"
#include "porestore.hpp"

using namespace mspo;

namespace {
porestore::Options parse(const std::vector<std::string>& args) {
    return porestore::options_from(
        cli::parse_command_line(porestore::spec(), porestore::options_description(), args));
}
std::string usage_error(const std::vector<std::string>& args) { return test::usage_error_of(parse, args); }
}  // namespace

TEST_CASE("porestore_options: restore, list and verify", "[porestore_options]") {
    auto o = parse({"S.tar.gz", "PO"});
    CHECK(o.snapshot == "S.tar.gz");
    CHECK(o.common.postoffice == "PO");
    CHECK_FALSE(o.list);
    CHECK_FALSE(o.verify);
    CHECK_FALSE(o.common.force);
    o = parse({"-n", "--force", "--snapshot-dir", "D", "S.tar.gz", "PO"});
    CHECK(o.common.dry_run);
    CHECK(o.common.force);
    REQUIRE(o.common.snapshot_dir);
    CHECK(*o.common.snapshot_dir == "D");
    o = parse({"--verify", "S.tar.gz"});
    CHECK(o.verify);
    CHECK(o.common.postoffice.empty());
    o = parse({"--list", "--json", "S.tar.gz"});
    CHECK(o.list);
    CHECK(o.common.json);
    o = parse({"--list", "S.tar.gz", "PO"});
    CHECK(o.common.postoffice == "PO");
}

TEST_CASE("porestore_options: missing arguments", "[porestore_options]") {
    CHECK(usage_error({}).find("SNAPSHOT") != std::string::npos);
    CHECK(usage_error({"--verify"}).find("SNAPSHOT") != std::string::npos);
    CHECK(usage_error({"S.tar.gz"}).find("missing POSTOFFICE") != std::string::npos);
    CHECK(usage_error({"-n", "S.tar.gz"}).find("missing POSTOFFICE") != std::string::npos);
    CHECK(usage_error({"--snapshot-dir"}).size() > 0);  // an option without its value
}

TEST_CASE("porestore_options: conflicting and unknown arguments", "[porestore_options]") {
    CHECK(usage_error({"--list", "--verify", "S.tar.gz"}).find("exclude each other") != std::string::npos);
    usage_error({"S.tar.gz", "PO", "EXTRA"});  // one argument too many
    usage_error({"--dry", "S.tar.gz", "PO"});  // no abbreviations
    usage_error({"--ver", "S.tar.gz"});        // not --verify, not --version
    usage_error({"--list=yes", "S.tar.gz"});   // a switch takes no value
    usage_error({"--bogus", "S.tar.gz", "PO"});
}

TEST_CASE("porestore_options: help names the exit codes and the refusals", "[porestore_options]") {
    const std::string help = cli::usage_text(porestore::spec(), porestore::options_description());
    CHECK(help.find("--verify") != std::string::npos);
    CHECK(help.find("--force") != std::string::npos);
    CHECK(help.find("4 some files") != std::string::npos);
    CHECK(help.find("another") != std::string::npos);
}
