#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>
#include <string>

#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using namespace mspo::test;

namespace {

template <class F>
std::optional<Errc> error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) { return e.code(); }
    return std::nullopt;
}

}  // namespace

TEST_CASE("platform::read_file: reads a whole file", "[platform]") {
    TempDir dir("platform-read");
    const Bytes data{0x2A, 0, 0, 0, 0x10, 0, 0, 0};
    write_bytes(dir.path / "CONTROL.GLB", data);
    CHECK(platform::read_file(dir.path / "CONTROL.GLB", 8) == data);
    write_bytes(dir.path / "EMPTY.MBG", {});
    CHECK(platform::read_file(dir.path / "EMPTY.MBG", 0).empty());
}

TEST_CASE("platform::read_file: a missing file is not_found", "[platform]") {
    TempDir dir("platform-read");
    CHECK(error_of([&] { platform::read_file(dir.path / "NOPE.GLB", 100); }) == Errc::not_found);
    try {
        platform::read_file(dir.path / "NOPE.GLB", 100);
    } catch (const Error& e) { CHECK(e.file() == dir.path / "NOPE.GLB"); }
}

TEST_CASE("platform::read_file: a symbolic link is not followed", "[platform][makes-links]") {
    TempDir dir("platform-read");
    write_bytes(dir.path / "REAL.GLB", Bytes(8, 1));
    fs::create_symlink(dir.path / "REAL.GLB", dir.path / "LINK.GLB");
    CHECK(error_of([&] { platform::read_file(dir.path / "LINK.GLB", 100); }) == Errc::unsafe_path);
    fs::create_symlink(dir.path / "GONE.GLB", dir.path / "DANGLING.GLB");
    CHECK(error_of([&] { platform::read_file(dir.path / "DANGLING.GLB", 100); }) == Errc::unsafe_path);
    fs::create_directory(dir.path / "SUB");
    CHECK(error_of([&] { platform::read_file(dir.path / "SUB", 100); }) == Errc::unsafe_path);
}

TEST_CASE("platform::read_file: a file over the limit is size_rule and is not read", "[platform]") {
    TempDir dir("platform-read");
    write_bytes(dir.path / "BIG.GLB", Bytes(9, 0));
    CHECK(error_of([&] { platform::read_file(dir.path / "BIG.GLB", 8); }) == Errc::size_rule);
    CHECK(platform::read_file(dir.path / "BIG.GLB", 9).size() == 9);
}

TEST_CASE("platform::read_range: a range past the end is truncated", "[platform]") {
    TempDir dir("platform-read");
    write_bytes(dir.path / "F.GLB", Bytes{1, 2, 3, 4, 5});
    CHECK(platform::read_range(dir.path / "F.GLB", 1, 3) == Bytes{2, 3, 4});
    CHECK(error_of([&] { platform::read_range(dir.path / "F.GLB", 3, 3); }) == Errc::truncated);
    CHECK(error_of([&] { platform::read_range(dir.path / "MISSING", 0, 1); }) == Errc::not_found);
}
