#include <catch2/catch.hpp>

#include "mspo/safety/atomic_file.hpp"
#include "mspo/base/error.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using mspo::test::code_of;
using mspo::test::read_text;
using mspo::test::to_bytes;
using mspo::test::write_text;

namespace {
/// PO/GLB and OUT in a temporary folder.
struct TempDir : mspo::test::TempPoDir {
    TempDir() : TempPoDir("atomic", {"GLB"}) { fs::create_directories(path / "OUT"); }
};
}  // namespace

TEST_CASE("atomic_file: split_relpath refuses unsafe paths", "[atomic_file]") {
    CHECK(atomic::split_relpath("GLB/ACCESS.GLB") == std::vector<std::string>{"GLB", "ACCESS.GLB"});
    for (const char* bad : {"", "/etc/passwd", "GLB/../x", "..", "./GLB", "GLB//X", "GLB/", "A\\B"})
        CHECK(code_of([&] { atomic::split_relpath(bad); }) == Errc::unsafe_path);
    CHECK(code_of([&] { atomic::split_relpath(std::string("A\0B", 3)); }) == Errc::unsafe_path);
}

TEST_CASE("atomic_file: replace writes new contents, keeps mode, sets mtime, leaves no temp",
          "[atomic_file]") {
    TempDir t;
    write_text(t.po() / "GLB/ACCESS.GLB", "old");
    fs::permissions(t.po() / "GLB/ACCESS.GLB", fs::perms(0640));
    atomic::WriteOptions o;
    o.mtime_ns = 1'500'000'000'000'000'001;
    atomic::replace_file(t.po(), "GLB/ACCESS.GLB", to_bytes("new contents"), o);
    CHECK(read_text(t.po() / "GLB/ACCESS.GLB") == "new contents");
    auto info = platform::stat_nofollow(t.po() / "GLB/ACCESS.GLB");
    CHECK(info.mode == 0640);
    CHECK(info.mtime_ns == 1'500'000'000'000'000'001);
    CHECK(std::distance(fs::directory_iterator(t.po() / "GLB"), fs::directory_iterator()) == 1);
    atomic::replace_file(t.po(), "GLB/NEW.GLB", to_bytes("created"));
    CHECK(read_text(t.po() / "GLB/NEW.GLB") == "created");
}

TEST_CASE("atomic_file: a crash at each step leaves old or new, never torn", "[atomic_file]") {
    for (const char* crash_at : {"write-temp", "rename", "fsync-dir"}) {
        TempDir t;
        write_text(t.po() / "GLB/A.GLB", "old");
        atomic::WriteOptions o;
        o.hook = [&](std::string_view step) {
            if (step == crash_at) throw std::runtime_error("crash");
        };
        CHECK_THROWS_AS(atomic::replace_file(t.po(), "GLB/A.GLB", to_bytes("new"), o), std::runtime_error);
        std::string now = read_text(t.po() / "GLB/A.GLB");
        CHECK((now == (std::string(crash_at) == "fsync-dir" ? "new" : "old")));
        // the thrown path cleans its temporary
        CHECK(std::distance(fs::directory_iterator(t.po() / "GLB"), fs::directory_iterator()) == 1);
    }
}

TEST_CASE("atomic_file: remove_stale_temps deletes only our temporaries", "[atomic_file]") {
    TempDir t;
    write_text(t.po() / "GLB/A.GLB", "keep");
    write_text(t.po() / "GLB/A.GLB.mspo-tmp.99.0", "junk");
    auto removed = atomic::remove_stale_temps(t.po(), "GLB");
    REQUIRE(removed.size() == 1);
    CHECK(removed[0] == "A.GLB.mspo-tmp.99.0");
    CHECK(fs::exists(t.po() / "GLB/A.GLB"));
    CHECK(atomic::is_temp_name("X.mspo-tmp.1.2"));
    CHECK_FALSE(atomic::is_temp_name("X.GLB"));
}

TEST_CASE("atomic_file: a symlink inside the postoffice pointing out is never followed", "[atomic_file]") {
    TempDir t;
    write_text(t.path / "OUT/VICTIM", "outside");
    fs::create_directory_symlink(t.path / "OUT", t.po() / "MBG");        // folder link
    fs::create_symlink(t.path / "OUT/VICTIM", t.po() / "GLB/LINK.GLB");  // file link
    CHECK(code_of([&] { atomic::replace_file(t.po(), "MBG/VICTIM", to_bytes("x")); }) == Errc::unsafe_path);
    CHECK(code_of([&] { atomic::replace_file(t.po(), "MBG/NEWFILE", to_bytes("x")); }) == Errc::unsafe_path);
    CHECK(code_of([&] { atomic::remove_file(t.po(), "MBG/VICTIM"); }) == Errc::unsafe_path);
    CHECK(code_of([&] { atomic::replace_file(t.po(), "GLB/LINK.GLB", to_bytes("x")); }) == Errc::unsafe_path);
    CHECK(code_of([&] { atomic::remove_file(t.po(), "GLB/LINK.GLB"); }) == Errc::unsafe_path);
    CHECK(code_of([&] { atomic::rename_file(t.po(), "GLB/LINK.GLB", "GLB/X.GLB"); }) == Errc::unsafe_path);
    CHECK(read_text(t.path / "OUT/VICTIM") == "outside");
    CHECK_FALSE(fs::exists(t.path / "OUT/NEWFILE"));
    CHECK(fs::is_symlink(t.po() / "GLB/LINK.GLB"));
}

TEST_CASE("atomic_file: remove and rename go through the folder", "[atomic_file]") {
    TempDir t;
    write_text(t.po() / "GLB/A.GLB", "a");
    write_text(t.po() / "GLB/B.GLB", "b");
    atomic::rename_file(t.po(), "GLB/A.GLB", "GLB/B.GLB");
    CHECK(read_text(t.po() / "GLB/B.GLB") == "a");
    CHECK_FALSE(fs::exists(t.po() / "GLB/A.GLB"));
    CHECK(code_of([&] { atomic::rename_file(t.po(), "GLB/B.GLB", "MBG/B.GLB"); }) == Errc::usage);
    atomic::remove_file(t.po(), "GLB/B.GLB");
    CHECK_FALSE(fs::exists(t.po() / "GLB/B.GLB"));
    CHECK(code_of([&] { atomic::remove_file(t.po(), "GLB/B.GLB"); }) == Errc::not_found);
    CHECK(code_of([&] { atomic::remove_file(t.po(), "GLB"); }) == Errc::unsafe_path);
}
