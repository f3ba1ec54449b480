#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include "mspo/cli/exit_codes.hpp"
#include "mspo/cli/run.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "test_support.hpp"

using namespace mspo;
using namespace mspo::cli;
using namespace mspo::test;

namespace {

const ToolSpec kSpec{"demo", "Demonstrates.", "", "", true};

struct Outcome {
    int code;
    std::string out, err;
};

// A minimal postoffice (GLB/MASTER.GLB) for the POSTOFFICE argument: run_tool
// refuses anything else before the body runs.
const std::string& po_dir() {
    static const std::string path = [] {
        static TempDir dir("run-po");
        std::filesystem::create_directories(dir.path / "GLB");
        write_text(dir.path / "GLB" / "MASTER.GLB", "");
        return dir.path.string();
    }();
    return path;
}

Outcome run(std::vector<std::string> args, const std::function<int(const Parsed&)>& body) {
    std::ostringstream out, err;
    int code = run_tool(kSpec, {}, args, out, err, body);
    return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("run_tool: the body's exit code is returned", "[run]") {
    auto r = run({po_dir()}, [](const Parsed& p) {
        CHECK(p.common.postoffice == po_dir());
        return 4;
    });
    CHECK(r.code == 4);
    CHECK(r.err.empty());
}

TEST_CASE("run_tool: --help and --version go to stdout and exit 0", "[run]") {
    bool called = false;
    auto body = [&](const Parsed&) {
        called = true;
        return 0;
    };
    auto h = run({"--help"}, body);
    CHECK(h.code == 0);
    CHECK(h.out.rfind("usage: demo", 0) == 0);
    CHECK(h.err.empty());
    auto v = run({"--version"}, body);
    CHECK(v.code == 0);
    CHECK(v.out.rfind("demo (mspo) ", 0) == 0);
    CHECK_FALSE(called);
}

TEST_CASE("run_tool: usage errors exit 16 with one error line and a hint", "[run]") {
    auto r = run({"--dry", po_dir()}, [](const Parsed&) { return 0; });
    CHECK(r.code == kUsage);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("demo: error: ", 0) == 0);
    CHECK(r.err.find("'--dry'") != std::string::npos);
    CHECK(r.err.find("Try 'demo --help'") != std::string::npos);
}

TEST_CASE("run_tool: library errors use the one error format", "[run]") {
    auto r = run({po_dir()}, [](const Parsed&) -> int {
        throw Error(Errc::truncated, "file ended early", "/po/GLB/ACCESS.GLB", 586);
    });
    CHECK(r.code == kOperational);
    CHECK(r.err == "demo: error: file ended early: /po/GLB/ACCESS.GLB: offset 586\n");
}

TEST_CASE("run_tool: an interrupt exits 32", "[run]") {
    auto r = run({po_dir()}, [](const Parsed&) -> int {
        request_interrupt();
        throw_if_interrupted();
        return 0;
    });
    clear_interrupt();
    CHECK(r.code == kInterrupted);
    CHECK(r.err.rfind("demo: error: interrupted", 0) == 0);
}

TEST_CASE("run_tool: other exceptions are operational errors", "[run]") {
    auto r = run({po_dir()}, [](const Parsed&) -> int { throw std::runtime_error("boom"); });
    CHECK(r.code == kOperational);
    CHECK(r.err == "demo: error: internal error: boom\n");
}

TEST_CASE("run_tool: errors are appended to --log", "[run]") {
    auto log =
        std::filesystem::temp_directory_path() / ("mspo-test-run-" + std::to_string(::getpid()) + ".log");
    std::filesystem::remove(log);
    auto r = run({"--log", log.string(), po_dir()},
                 [](const Parsed&) -> int { throw Error(Errc::not_found, "file not found", "/po/X"); });
    CHECK(r.code == kOperational);
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().find("demo: error: file not found: /po/X") != std::string::npos);
    std::filesystem::remove(log);
}

TEST_CASE("run_tool: a failure to write stdout is an operational error", "[run]") {
    std::ostringstream out, err;
    out.setstate(std::ios::badbit);
    int code = run_tool(kSpec, {}, {po_dir()}, out, err, [](const Parsed&) { return 0; });
    CHECK(code == kOperational);
    CHECK(err.str().find("cannot write the report") != std::string::npos);
}

TEST_CASE("run_tool: a folder that is not a postoffice exits 8 before the body runs", "[run]") {
    TempDir empty("run-not-po");
    bool ran = false;
    auto r = run({empty.path.string()}, [&ran](const Parsed&) {
        ran = true;
        return 0;
    });
    CHECK_FALSE(ran);
    CHECK(r.code == kOperational);
    CHECK(r.err == "demo: error: not a postoffice (no GLB/MASTER.GLB): " + empty.path.string() + "\n");
    CHECK(std::filesystem::is_empty(empty.path));
}
