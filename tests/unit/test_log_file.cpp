#include <catch2/catch.hpp>

#include <chrono>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mspo/report/log_file.hpp"
#include "test_support.hpp"

using namespace mspo;
using namespace mspo::test;

namespace {

Report small_report() {
    Report r;
    r.tool = "demo";
    r.postoffice = "po";
    r.summary = {{"files", "2"}};
    return r;
}

// The error open() gives for `path`, and checks that it came at once.
Error refusal(const std::filesystem::path& path) {
    const auto start = std::chrono::steady_clock::now();
    try {
        LogFile::open(path);
    } catch (const Error& e) {
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
        return e;
    }
    FAIL("LogFile::open accepted " << path);
    return Error(Errc::io, "");
}

}  // namespace

TEST_CASE("LogFile: creates the file and appends transcripts to it", "[log_file]") {
    TempDir dir("log-file");
    const auto path = dir.path / "run.log";
    write_text(path, "earlier\n");
    auto log = LogFile::open(path);
    CHECK(log->path() == path);
    log->append(small_report());
    log->append_text("demo", "demo: error: boom\nsecond line");
    const std::string text = read_text(path);
    CHECK(text.rfind("earlier\n==== ", 0) == 0);
    CHECK(text.find("Z demo po\ndemo report for po\n  files: 2\n\nresult: no problems found\n\n") !=
          std::string::npos);
    CHECK(text.find("Z demo\ndemo: error: boom\nsecond line\n\n") != std::string::npos);
}

TEST_CASE("LogFile: keeps writing to the file it opened", "[log_file]") {
    TempDir dir("log-file-kept");
    auto log = LogFile::open(dir.path / "run.log");
    std::filesystem::rename(dir.path / "run.log", dir.path / "moved.log");
    log->append_text("demo", "after the move");
    CHECK(read_text(dir.path / "moved.log").find("after the move") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.path / "run.log"));
}

TEST_CASE("LogFile: text is terminal-safe, newlines kept", "[log_file]") {
    TempDir dir("log-file-safe");
    auto log = LogFile::open(dir.path / "run.log");
    Report r = small_report();
    r.postoffice = "po\x1b[2J";
    log->append(r);
    log->append_text("demo", "x\x1by\xff\nz");
    const std::string text = read_text(dir.path / "run.log");
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find("demo po\\x1b[2J\n") != std::string::npos);
    CHECK(text.find("x\\x1by\\xff\nz\n") != std::string::npos);
}

#if !defined(_WIN32)  // POSIX only: FIFOs
TEST_CASE("LogFile: a FIFO is refused at once, with or without a reader", "[log_file]") {
    TempDir dir("log-file-fifo");
    const auto fifo = dir.path / "log.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    Error e = refusal(fifo);
    CHECK(e.code() == Errc::unsafe_path);
    CHECK(std::string(e.what()).find("FIFO") != std::string::npos);
    CHECK(e.file() == fifo);

    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    REQUIRE(reader >= 0);
    CHECK(refusal(fifo).code() == Errc::unsafe_path);
    ::close(reader);
}
#endif

#if !defined(_WIN32)  // POSIX only: FIFOs
TEST_CASE("LogFile: a folder, a device and a link to a FIFO are refused", "[log_file]") {
    TempDir dir("log-file-kinds");
    CHECK(std::string(refusal(dir.path).what()).find("folder") != std::string::npos);
    CHECK(std::string(refusal("/dev/null").what()).find("device") != std::string::npos);
    REQUIRE(::mkfifo((dir.path / "f").c_str(), 0600) == 0);
    std::filesystem::create_symlink(dir.path / "f", dir.path / "link");
    CHECK(refusal(dir.path / "link").code() == Errc::unsafe_path);
}
#endif

TEST_CASE("LogFile: a link to a regular file is followed", "[log_file][makes-links]") {
    TempDir dir("log-file-link");
    write_text(dir.path / "real.log", "");
    std::filesystem::create_symlink(dir.path / "real.log", dir.path / "link.log");
    LogFile::open(dir.path / "link.log")->append_text("demo", "through the link");
    CHECK(read_text(dir.path / "real.log").find("through the link") != std::string::npos);
}

TEST_CASE("LogFile: a log that cannot be created is an io error naming it", "[log_file]") {
    TempDir dir("log-file-missing");
    const auto path = dir.path / "no-such-folder" / "x.log";
    Error e = refusal(path);
    CHECK(e.code() == Errc::io);
    CHECK(e.file() == path);
}
