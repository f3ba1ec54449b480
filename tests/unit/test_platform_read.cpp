#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>

#include "mspo/error.hpp"
#include "mspo/platform.hpp"

using namespace mspo;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the system temp folder, removed on scope exit.
struct TempDir {
    fs::path path;
    TempDir() {
        std::random_device rd;
        path = fs::temp_directory_path() /
               ("mspo-test-platform-read-" + std::to_string(rd()) + "-" + std::to_string(rd()));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

void write(const fs::path& p, const Bytes& b) {
    std::ofstream out(p, std::ios::binary);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

template <class F>
std::optional<Errc> error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) { return e.code(); }
    return std::nullopt;
}

}  // namespace

TEST_CASE("platform::read_file: reads a whole file", "[platform]") {
    TempDir dir;
    const Bytes data{0x2A, 0, 0, 0, 0x10, 0, 0, 0};
    write(dir.path / "CONTROL.GLB", data);
    CHECK(platform::read_file(dir.path / "CONTROL.GLB", 8) == data);
    write(dir.path / "EMPTY.MBG", {});
    CHECK(platform::read_file(dir.path / "EMPTY.MBG", 0).empty());
}

TEST_CASE("platform::read_file: a missing file is not_found", "[platform]") {
    TempDir dir;
    CHECK(error_of([&] { platform::read_file(dir.path / "NOPE.GLB", 100); }) == Errc::not_found);
    try {
        platform::read_file(dir.path / "NOPE.GLB", 100);
    } catch (const Error& e) { CHECK(e.file() == dir.path / "NOPE.GLB"); }
}

TEST_CASE("platform::read_file: a symbolic link is not followed", "[platform]") {
    TempDir dir;
    write(dir.path / "REAL.GLB", Bytes(8, 1));
    fs::create_symlink(dir.path / "REAL.GLB", dir.path / "LINK.GLB");
    CHECK(error_of([&] { platform::read_file(dir.path / "LINK.GLB", 100); }) == Errc::unsafe_path);
    fs::create_symlink(dir.path / "GONE.GLB", dir.path / "DANGLING.GLB");
    CHECK(error_of([&] { platform::read_file(dir.path / "DANGLING.GLB", 100); }) == Errc::unsafe_path);
    fs::create_directory(dir.path / "SUB");
    CHECK(error_of([&] { platform::read_file(dir.path / "SUB", 100); }) == Errc::unsafe_path);
}

TEST_CASE("platform::read_file: a file over the limit is size_rule and is not read", "[platform]") {
    TempDir dir;
    write(dir.path / "BIG.GLB", Bytes(9, 0));
    CHECK(error_of([&] { platform::read_file(dir.path / "BIG.GLB", 8); }) == Errc::size_rule);
    CHECK(platform::read_file(dir.path / "BIG.GLB", 9).size() == 9);
}

TEST_CASE("platform::read_range: a range past the end is truncated", "[platform]") {
    TempDir dir;
    write(dir.path / "F.GLB", Bytes{1, 2, 3, 4, 5});
    CHECK(platform::read_range(dir.path / "F.GLB", 1, 3) == Bytes{2, 3, 4});
    CHECK(error_of([&] { platform::read_range(dir.path / "F.GLB", 3, 3); }) == Errc::truncated);
    CHECK(error_of([&] { platform::read_range(dir.path / "MISSING", 0, 1); }) == Errc::not_found);
}
