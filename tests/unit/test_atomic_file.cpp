#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "mspo/base/crc32.hpp"
#include "mspo/base/error.hpp"
#include "mspo/safety/atomic_file.hpp"
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
#if !defined(_WIN32)  // POSIX only: permission bits
    CHECK(info.mode == 0640);
#endif
    CHECK(info.mtime_ns == mspo::test::file_time_ns(1'500'000'000'000'000'001));
    CHECK(std::distance(fs::directory_iterator(t.po() / "GLB"), fs::directory_iterator()) == 1);
    atomic::replace_file(t.po(), "GLB/NEW.GLB", to_bytes("created"));
    CHECK(read_text(t.po() / "GLB/NEW.GLB") == "created");
}

TEST_CASE("atomic_file: a crash at each step leaves old or new, never torn", "[atomic_file]") {
    for (const char* crash_at : {"write-temp", "rename", "fsync-dir"}) {
        TempDir t;
        write_text(t.po() / "GLB/A.GLB", "old");
        atomic::WriteOptions o;
        o.hook = [&](std::string_view step, std::size_t) {
            if (step == crash_at) throw std::runtime_error("crash");
        };
        CHECK_THROWS_AS(atomic::replace_file(t.po(), "GLB/A.GLB", to_bytes("new"), o), std::runtime_error);
        std::string now = read_text(t.po() / "GLB/A.GLB");
        CHECK((now == (std::string(crash_at) == "fsync-dir" ? "new" : "old")));
        // the thrown path cleans its temporary
        CHECK(std::distance(fs::directory_iterator(t.po() / "GLB"), fs::directory_iterator()) == 1);
    }
}

TEST_CASE("atomic_file: remove_stale_temps deletes only temporaries of the dead run's token",
          "[atomic_file]") {
    TempDir t;
    const std::string dead = "0123456789abcdef";
    write_text(t.po() / "GLB/A.GLB", "keep");
    write_text(t.po() / ("GLB/A.GLB.mspo-tmp." + dead + ".7"), "junk");
    write_text(t.po() / "GLB/A.GLB.mspo-tmp.99.0", "a user's file, old-style name");  // not provably ours
    write_text(t.po() / "GLB/X.mspo-tmp.1.2", "a user's file");
    write_text(t.po() / "GLB/B.GLB.mspo-tmp.fedcba9876543210.0", "another run's");
    fs::create_directory(t.po() / ("GLB/D.mspo-tmp." + dead + ".1"));  // a folder: never ours
    auto removed = atomic::remove_stale_temps(t.po(), "GLB", dead);
    REQUIRE(removed.size() == 1);
    CHECK(removed[0] == "A.GLB.mspo-tmp." + dead + ".7");
    CHECK(fs::exists(t.po() / "GLB/A.GLB"));
    CHECK(fs::exists(t.po() / "GLB/A.GLB.mspo-tmp.99.0"));
    CHECK(fs::exists(t.po() / "GLB/X.mspo-tmp.1.2"));
    CHECK(fs::exists(t.po() / "GLB/B.GLB.mspo-tmp.fedcba9876543210.0"));
    CHECK(fs::is_directory(t.po() / ("GLB/D.mspo-tmp." + dead + ".1")));
    CHECK(atomic::is_temp_name("X.mspo-tmp.1.2"));      // looks like one ...
    CHECK_FALSE(atomic::temp_token("X.mspo-tmp.1.2"));  // ... but carries no token
    CHECK_FALSE(atomic::is_temp_name("X.GLB"));
    CHECK(atomic::remove_stale_temps(t.po(), "GLB", "not-a-token").empty());
}

TEST_CASE("atomic_file: temp_token and run_token_of accept only the exact forms", "[atomic_file]") {
    const std::string tok = "00ff00ff00ff00ff";
    CHECK(atomic::temp_token("A.GLB.mspo-tmp." + tok + ".0") == tok);
    CHECK(atomic::temp_token("A.mspo-tmp." + tok + ".4294967295") == tok);
    for (const std::string& bad :
         std::vector<std::string>{".mspo-tmp." + tok + ".0", "A.mspo-tmp." + tok, "A.mspo-tmp." + tok + ".",
                                  "A.mspo-tmp." + tok + ".1x", "A.mspo-tmp.00FF00FF00FF00FF.0",
                                  "A.mspo-tmp." + tok + "0.0", "A.mspo-tmp.1.2", "A.GLB"})
        CHECK_FALSE(atomic::temp_token(bad));
    CHECK(atomic::run_token().size() == 16);
    CHECK(atomic::temp_token("X.mspo-tmp." + atomic::run_token() + ".3") == atomic::run_token());
    CHECK(atomic::run_token_of("pid 1 on host h, tool t, since 2026-01-01T00:00:00Z, run " + tok) == tok);
    CHECK_FALSE(atomic::run_token_of("pid 1 on host h, tool t, since 2026-01-01T00:00:00Z"));
    CHECK_FALSE(atomic::run_token_of("pid 1, run " + tok + " and more"));
    CHECK_FALSE(atomic::run_token_of("pid 1, run 0123"));
}

TEST_CASE("atomic_file: a replacement's temporary carries this run's token", "[atomic_file]") {
    TempDir t;
    std::vector<std::string> seen;
    atomic::WriteOptions o;
    o.hook = [&](std::string_view step, std::size_t) {
        if (step != "rename") return;
        for (const auto& e : fs::directory_iterator(t.po() / "GLB"))
            seen.push_back(e.path().filename().string());
    };
    atomic::replace_file(t.po(), "GLB/A.GLB", to_bytes("x"), o);
    REQUIRE(seen.size() == 1);
    CHECK(atomic::temp_token(seen[0]) == atomic::run_token());
    CHECK(seen[0].rfind("A.GLB.mspo-tmp.", 0) == 0);
}

namespace {
/// A ContentWriter yielding `data` in pieces of `piece` bytes.
ContentWriter pieces(Bytes data, std::size_t piece) {
    return [data = std::move(data), piece](const std::function<void(ByteSpan)>& sink) {
        for (std::size_t at = 0; at < data.size(); at += piece)
            sink(ByteSpan(data).subspan(at, std::min(piece, data.size() - at)));
    };
}
atomic::ExpectedContents expect_of(const Bytes& b) { return {b.size(), crc32(b)}; }
std::size_t entries(const fs::path& dir) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}
}  // namespace

TEST_CASE("atomic_file: a streamed replacement writes what the source yields", "[atomic_file]") {
    TempDir t;
    const Bytes big = mspo::test::random_bytes(3 * 1024 * 1024 + 17, 1);
    for (std::size_t piece : {std::size_t{1} << 20, std::size_t{4097}, std::size_t{1} << 22}) {
        INFO("piece " << piece);
        atomic::replace_file_from(t.po(), "GLB/BIG.GLB", pieces(big, piece), expect_of(big));
        CHECK(mspo::test::read_bytes(t.po() / "GLB/BIG.GLB") == big);
    }
    const Bytes empty;
    atomic::replace_file_from(t.po(), "GLB/EMPTY.GLB", pieces(empty, 1), expect_of(empty));
    CHECK(fs::file_size(t.po() / "GLB/EMPTY.GLB") == 0);
    CHECK(entries(t.po() / "GLB") == 2);
}

TEST_CASE("atomic_file: a streamed replacement of the wrong size or CRC leaves the target untouched",
          "[atomic_file]") {
    TempDir t;
    write_text(t.po() / "GLB/A.GLB", "old");
    const Bytes planned = to_bytes("planned contents");
    const Bytes same_size_other = to_bytes("PLANNED contents");
    const Bytes shorter = to_bytes("planned");
    const Bytes longer = to_bytes("planned contents, and then some more");
    for (const Bytes* yielded : {&same_size_other, &shorter, &longer}) {
        CHECK(code_of([&] {
                  atomic::replace_file_from(t.po(), "GLB/A.GLB", pieces(*yielded, 3), expect_of(planned));
              }) == Errc::changed);
        CHECK(read_text(t.po() / "GLB/A.GLB") == "old");
        CHECK(entries(t.po() / "GLB") == 1);  // no temporary left
        CHECK(code_of([&] {
                  atomic::replace_file_from(t.po(), "GLB/NEW.GLB", pieces(*yielded, 5), expect_of(planned));
              }) == Errc::changed);
        CHECK_FALSE(fs::exists(t.po() / "GLB/NEW.GLB"));
    }
    // A source that fails part-way: its exception passes through, the target untouched.
    ContentWriter failing = [](const std::function<void(ByteSpan)>& sink) {
        const Bytes some = to_bytes("some");
        sink(some);
        throw std::runtime_error("source failed");
    };
    CHECK_THROWS_WITH(atomic::replace_file_from(t.po(), "GLB/A.GLB", failing, expect_of(planned)),
                      "source failed");
    CHECK(read_text(t.po() / "GLB/A.GLB") == "old");
    CHECK(entries(t.po() / "GLB") == 1);
}

#if !defined(_WIN32)  // POSIX only: umask, permission bits and owners
TEST_CASE("atomic_file: mode and owner are applied, unset, a replaced file keeps its own", "[atomic_file]") {
    TempDir t;
    const ::mode_t old_mask = ::umask(077);  // our modes are exact, whatever the umask
    write_text(t.po() / "GLB/A.GLB", "old");
    fs::permissions(t.po() / "GLB/A.GLB", fs::perms(0640));
    atomic::replace_file(t.po(), "GLB/A.GLB", to_bytes("kept mode"));
    CHECK(platform::stat_nofollow(t.po() / "GLB/A.GLB").mode == 0640);
    atomic::replace_file(t.po(), "GLB/NEW.GLB", to_bytes("default"));
    CHECK(platform::stat_nofollow(t.po() / "GLB/NEW.GLB").mode == 0644);
    atomic::WriteOptions o;
    o.mode = 0400 | 04000;  // the set-uid bit is never given
    atomic::replace_file(t.po(), "GLB/A.GLB", to_bytes("read-only now"), o);
    CHECK(platform::stat_nofollow(t.po() / "GLB/A.GLB").mode == 0400);
    CHECK(read_text(t.po() / "GLB/A.GLB") == "read-only now");
    o.mode = 0600;
    atomic::replace_file_from(t.po(), "GLB/S.GLB", pieces(to_bytes("s"), 1), expect_of(to_bytes("s")), o);
    CHECK(platform::stat_nofollow(t.po() / "GLB/S.GLB").mode == 0600);
    // Owner: given where the process may; refused for lack of privilege is no error.
    atomic::WriteOptions owner;
    owner.uid = ::geteuid() == 0 ? 4242u : 0u;
    owner.gid = ::geteuid() == 0 ? 4343u : static_cast<std::uint32_t>(::getegid());
    atomic::replace_file(t.po(), "GLB/OWNED.GLB", to_bytes("o"), owner);
    const auto info = platform::stat_nofollow(t.po() / "GLB/OWNED.GLB");
    if (::geteuid() == 0) {
        CHECK(info.uid == 4242u);
        CHECK(info.gid == 4343u);
    } else {
        CHECK(info.uid == static_cast<std::uint32_t>(::geteuid()));
    }
    ::umask(old_mask);
}
#endif

#if !defined(_WIN32)  // POSIX only: umask, permission bits and owners
TEST_CASE("atomic_file: make_dir_in makes one folder, exact mode, refuses what exists", "[atomic_file]") {
    TempDir t;
    const ::mode_t old_mask = ::umask(077);
    auto dir = atomic::SafeDir::open(t.po(), "");
    std::vector<std::string> steps;
    atomic::WriteOptions o;
    o.hook = [&](std::string_view s, std::size_t) { steps.emplace_back(s); };
    atomic::make_dir_in(dir, "P1", o);
    CHECK(steps == std::vector<std::string>{"make-dir", "fsync-dir"});
    CHECK(fs::is_directory(t.po() / "P1"));
    CHECK(platform::stat_nofollow(t.po() / "P1").mode == 0755);
    atomic::WriteOptions m;
    m.mode = 0700;
    atomic::make_dir_in(dir, "PRIV", m);
    CHECK(platform::stat_nofollow(t.po() / "PRIV").mode == 0700);
    CHECK(code_of([&] { atomic::make_dir_in(dir, "P1"); }) == Errc::changed);
    write_text(t.po() / "FILE", "x");
    CHECK(code_of([&] { atomic::make_dir_in(dir, "FILE"); }) == Errc::changed);
    ::umask(old_mask);
}
#endif

TEST_CASE("atomic_file: a symlink inside the postoffice pointing out is never followed",
          "[atomic_file][makes-links]") {
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
