#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pthread.h>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/cli/exit_codes.hpp"
#include "mspo/cli/output.hpp"
#include "mspo/cli/run.hpp"
#include "mspo/report/log_file.hpp"
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
    CHECK(read_text(log).find("demo: error: file not found: /po/X") != std::string::npos);
    std::filesystem::remove(log);  // (closed: Windows removes no file that is open)
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

TEST_CASE("run_tool: error messages never pass control bytes to the terminal", "[run][posix-names]") {
    auto r = run({po_dir()}, [](const Parsed&) -> int {
        throw Error(Errc::in_use, "locked by \x1b]0;owned\x07 \xc2\x9b", "/po/P1/\xff");
    });
    CHECK(r.err == "demo: error: locked by \\x1b]0;owned\\x07 \\u009b: /po/P1/\\xff\n");
    CHECK(error_line("demo", std::runtime_error("\x1b[2J")) == "demo: error: internal error: \\x1b[2J");
}

TEST_CASE("run_tool: with --json a usage error is one JSON document on stdout", "[run]") {
    auto r = run({"--json", "--dry", po_dir()}, [](const Parsed&) { return 0; });
    CHECK(r.code == kUsage);
    CHECK(r.err.find("'--dry'") != std::string::npos);  // stderr still says it
    const auto doc = nlohmann::json::parse(r.out);      // exactly one document, or this throws
    CHECK(doc["tool"] == "demo");
    CHECK(doc["postoffice"].is_null());  // the command line did not parse
    CHECK(doc["error"]["errc"] == "usage");
    CHECK(doc["error"]["message"].get<std::string>().find("'--dry'") != std::string::npos);
    CHECK(doc["error"]["file"].is_null());
    CHECK(doc["exit_code"] == kUsage);

    auto missing = run({"--json"}, [](const Parsed&) { return 0; });
    CHECK(missing.code == kUsage);
    CHECK(nlohmann::json::parse(missing.out)["error"]["message"] == "missing POSTOFFICE argument");
}

TEST_CASE("run_tool: with --json an operational error is one JSON document on stdout", "[run]") {
    auto r = run({po_dir(), "--json"}, [](const Parsed&) -> int {
        throw Error(Errc::truncated, "file ended early", "/po/GLB/ACCESS.GLB", 586);
    });
    CHECK(r.code == kOperational);
    CHECK(r.err == "demo: error: file ended early: /po/GLB/ACCESS.GLB: offset 586\n");
    const auto doc = nlohmann::ordered_json::parse(r.out);
    CHECK(doc["postoffice"] == po_dir());
    CHECK(doc["error"]["errc"] == "truncated");
    CHECK(doc["error"]["message"] == "file ended early: /po/GLB/ACCESS.GLB: offset 586");
    CHECK(doc["error"]["file"] == "/po/GLB/ACCESS.GLB");
    CHECK(doc["error"]["offset"] == 586);
    CHECK(doc["error"]["changes_made"] == 0);
    CHECK(doc["error"]["undo_snapshot"].is_null());
    CHECK(doc["exit_code"] == kOperational);
    CHECK(r.out == doc.dump(2) + "\n");

    auto other = run({"--json", po_dir()}, [](const Parsed&) -> int { throw std::runtime_error("boom"); });
    CHECK(nlohmann::json::parse(other.out)["error"]["errc"] == "internal");
    auto not_po = run({"--json", "/nonexistent-mspo-po"}, [](const Parsed&) { return 0; });
    CHECK(nlohmann::json::parse(not_po.out)["exit_code"] == kOperational);
}

TEST_CASE("run_tool: a JSON error names a file that is not UTF-8 exactly", "[run][posix-names]") {
    auto r = run({"--json", po_dir()},
                 [](const Parsed&) -> int { throw Error(Errc::io, "cannot remove", "P1/\xff.P1"); });
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["error"]["file"] == "P1/\\xff.P1");
    CHECK(doc["error"]["file_hex"] == "50312fff2e5031");
}

TEST_CASE("run_tool: a report already on stdout is not followed by a second document", "[run]") {
    auto r = run({"--json", po_dir()},
                 [](const Parsed&) -> int { throw Error(Errc::snapshot, "does not verify"); });
    CHECK_NOTHROW(nlohmann::json::parse(r.out));
    std::ostringstream out, err;
    const int code = run_tool(kSpec, {}, {"--json", po_dir()}, out, err, [&out](const Parsed&) -> int {
        out << "{\"tool\": \"demo\"}\n";
        throw Error(Errc::snapshot, "does not verify");
    });
    CHECK(code == kOperational);
    CHECK(out.str() == "{\"tool\": \"demo\"}\n");
    CHECK(err.str() == "demo: error: does not verify\n");
}

TEST_CASE("run_tool: --json after -- is a positional, not the option", "[run]") {
    auto r = run({"--", "--json"}, [](const Parsed&) { return 0; });
    CHECK(r.code == kOperational);  // "--json" is not a postoffice
    CHECK(r.out.empty());
}

TEST_CASE("run_tool: an error after changes exits 9, an interrupt after changes 33", "[run]") {
    auto r = run({"--json", po_dir()}, [](const Parsed&) -> int {
        throw Error::after_changes(Error(Errc::io, "write failed", "P1/X"), 2, "/snaps/s.tar.gz");
    });
    CHECK(r.code == 9);
    CHECK(r.err.find("2 changes were made; the snapshot /snaps/s.tar.gz restores the original") !=
          std::string::npos);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["exit_code"] == 9);
    CHECK(doc["error"]["changes_made"] == 2);
    CHECK(doc["error"]["undo_snapshot"] == "/snaps/s.tar.gz");

    auto stop = run({po_dir()}, [](const Parsed&) -> int {
        throw Error::after_changes(Error(Errc::interrupted, "interrupted"), 1, "/snaps/s.tar.gz");
    });
    CHECK(stop.code == 33);
}

TEST_CASE("run_tool: stdout failing after changes exits 9", "[run]") {
    std::ostringstream out, err;
    out.setstate(std::ios::badbit);
    const int code = run_tool(kSpec, {}, {po_dir()}, out, err, [](const Parsed&) { return kFixed; });
    CHECK(code == 9);
}

TEST_CASE("run_tool: --log is opened before the body runs and holds its report", "[run]") {
    TempDir dir("run-log");
    const auto log = dir.path / "run.log";
    bool saw_log = false;
    auto r = run({"--log", log.string(), po_dir()}, [&](const Parsed& p) {
        saw_log = p.common.log != nullptr && std::filesystem::exists(log);
        Report report;
        report.tool = "demo";
        report.postoffice = "po";
        std::ostringstream out;
        print_report(p.common, report, out);
        return 0;
    });
    CHECK(r.code == 0);
    CHECK(saw_log);
    CHECK(read_text(log).find("Z demo po\ndemo report for po\n") != std::string::npos);
}

#if !defined(_WIN32)  // POSIX only: FIFOs, pipes and signals
TEST_CASE("run_tool: --log naming a FIFO or a folder exits 8 at once, before the body", "[run]") {
    TempDir dir("run-log-fifo");
    const auto fifo = dir.path / "log.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    bool ran = false;
    const auto start = std::chrono::steady_clock::now();
    auto r = run({"--json", "--log", fifo.string(), po_dir()}, [&ran](const Parsed&) {
        ran = true;
        return 0;
    });
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    CHECK_FALSE(ran);
    CHECK(r.code == kOperational);
    CHECK(r.err ==
          "demo: error: cannot use the log: not a regular file (it is a FIFO): " + fifo.string() + "\n");
    CHECK(nlohmann::json::parse(r.out)["error"]["errc"] == "unsafe_path");

    auto d = run({"--log", dir.path.string(), po_dir()}, [&ran](const Parsed&) {
        ran = true;
        return 0;
    });
    CHECK_FALSE(ran);
    CHECK(d.code == kOperational);
    CHECK(d.err.find("(it is a folder)") != std::string::npos);
}
#endif

TEST_CASE("run_tool: --log is opened before the postoffice check, which it records", "[run]") {
    TempDir dir("run-log-not-po");
    const auto log = dir.path / "run.log";
    auto r = run({"--log", log.string(), (dir.path / "EMPTY").string()}, [](const Parsed&) { return 0; });
    CHECK(r.code == kOperational);
    CHECK(read_text(log).find("demo: error: ") != std::string::npos);
}

TEST_CASE("run_tool: -v shows the total time on stderr", "[run]") {
    auto r = run({"-v", po_dir()}, [](const Parsed&) { return 0; });
    CHECK(r.err.rfind("demo: timing: total ", 0) == 0);
    CHECK(r.err.find(" s\n") != std::string::npos);
    CHECK(run({po_dir()}, [](const Parsed&) { return 0; }).err.empty());
}

#if !defined(_WIN32)  // POSIX only: FIFOs, pipes and signals
TEST_CASE("run_tool: one signal ends a run blocked in a system call", "[run]") {
    struct sigaction old_int {
    }, old_term{};
    sigaction(SIGINT, nullptr, &old_int);
    sigaction(SIGTERM, nullptr, &old_term);
    install_interrupt_handlers();
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    platform::Handle rd(fds[0]), wr(fds[1]);
    const pthread_t blocked = ::pthread_self();
    std::thread stopper([blocked, &wr] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        ::pthread_kill(blocked, SIGTERM);
        // Should the signal not end the read, unblock it so the test fails
        // instead of hanging.
        std::this_thread::sleep_for(std::chrono::seconds(5));
        const char byte = 'x';
        [[maybe_unused]] auto n = ::write(wr.get(), &byte, 1);
    });
    const auto start = std::chrono::steady_clock::now();
    auto r = run({po_dir()}, [&rd](const Parsed&) {
        std::uint8_t byte = 0;
        platform::read_some(rd, &byte, 1, "pipe");
        return 0;
    });
    const auto took = std::chrono::steady_clock::now() - start;
    stopper.join();
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
    clear_interrupt();
    CHECK(r.code == kInterrupted);
    CHECK(r.err.rfind("demo: error: interrupted", 0) == 0);
    CHECK(took < std::chrono::seconds(4));
}
#endif
