// tools/pocheck/options.cpp: pocheck's command line, parsed without opening a file.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "mspo/base/error.hpp"
#include "mspo/cli/options.hpp"
#include "options_fixture.hpp"
#include "pocheck.hpp"

using namespace mspo;

namespace {

pocheck::Options parse(const std::vector<std::string>& args) {
    return pocheck::options_from(
        cli::parse_command_line(pocheck::spec(), pocheck::options_description(), args));
}

std::string usage_error(const std::vector<std::string>& args) { return test::usage_error_of(parse, args); }

}  // namespace

TEST_CASE("pocheck options: defaults", "[pocheck][options]") {
    const auto o = parse({"/po"});
    CHECK(o.common.postoffice == "/po");
    CHECK_FALSE(o.external);
    CHECK_FALSE(o.now);
    CHECK_FALSE(o.common.json);
}

TEST_CASE("pocheck options: good values", "[pocheck][options]") {
    const auto o = parse({"--external", "/mail/EXTERNAL.EXE", "--now", "930830400", "--json", "/po"});
    CHECK(o.external == std::filesystem::path("/mail/EXTERNAL.EXE"));
    CHECK(o.now == 930830400);
    CHECK(o.common.json);
    CHECK(parse({"--now", "0", "/po"}).now == 0);
    CHECK(parse({"--now", std::to_string(pocheck::kMaxNow), "/po"}).now == pocheck::kMaxNow);
}

TEST_CASE("pocheck options: bad values", "[pocheck][options]") {
    CHECK(usage_error({"--external", "", "/po"}).find("--external needs") != std::string::npos);
    CHECK(usage_error({"--now", "-1", "/po"}).find("--now must be") != std::string::npos);
    CHECK(usage_error({"--now", std::to_string(pocheck::kMaxNow + 1), "/po"}).find("--now must be") !=
          std::string::npos);
}

TEST_CASE("pocheck options: --fix writes and has the fixers' common options", "[pocheck][options]") {
    CHECK(pocheck::spec().writes);
    CHECK_FALSE(parse({"/po"}).fix);
    const auto o = parse({"--fix", "-n", "--force", "--snapshot-dir", "/snaps", "/po"});
    CHECK(o.fix);
    CHECK(o.common.dry_run);
    CHECK(o.common.force);
    CHECK(o.common.snapshot_dir == std::filesystem::path("/snaps"));
    CHECK(usage_error({"--fix=yes", "/po"}).find("fix") != std::string::npos);
}

TEST_CASE("pocheck: verdict names", "[pocheck]") {
    CHECK(std::string(pocheck::verdict_name(pocheck::Verdict::ok)) == "ok");
    CHECK(std::string(pocheck::verdict_name(pocheck::Verdict::problem)) == "problem");
    CHECK(std::string(pocheck::verdict_name(pocheck::Verdict::cannot_tell)) == "cannot tell");
}

TEST_CASE("pocheck options: --html FILE", "[pocheck][options]") {
    CHECK_FALSE(parse({"/po"}).html);
    CHECK(parse({"--html", "/tmp/report.html", "/po"}).html == std::filesystem::path("/tmp/report.html"));
    CHECK(parse({"--fix", "--html", "report.html", "/po"}).html == std::filesystem::path("report.html"));
    CHECK(usage_error({"--html", "", "/po"}).find("--html needs") != std::string::npos);
    // Inside the postoffice, or a folder: refused before anything is read.
    const auto code_of = [](const std::vector<std::string>& args) {
        try {
            parse(args);
        } catch (const Error& e) { return e.code(); }
        return Errc::usage;
    };
    auto dir = std::filesystem::temp_directory_path();
    if (!dir.has_filename()) dir = dir.parent_path();  // Windows names it with a final separator
    CHECK(code_of({"--html", (dir / "po" / "report.html").string(), (dir / "po").string()}) ==
          Errc::unsafe_path);
    CHECK(code_of({"--html", dir.string() + "/", "/po"}) == Errc::usage);
    CHECK(code_of({"--html", dir.string(), "/po"}) == Errc::unsafe_path);
}
