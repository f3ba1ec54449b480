#include <catch2/catch.hpp>

#include <csignal>
#include <chrono>
#if !defined(_WIN32)
#include <sys/file.h>
#endif
#if !defined(_WIN32)
#include <sys/wait.h>
#endif
#include <thread>
#include <unistd.h>

#include "mspo/base/error.hpp"
#include "mspo/safety/atomic_file.hpp"
#include "mspo/safety/lock.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using mspo::test::write_text;

namespace {
struct TempDir : mspo::test::TempPoDir {
    TempDir() : TempPoDir("lock", {"P1"}, "MAILDATA") {}
};
}  // namespace

TEST_CASE("lock: the toolkit lock file lives beside the postoffice", "[lock][makes-links]") {
    TempDir t;
    CHECK(toolkit_lock_path(t.po()) == fs::canonical(t.path) / "MAILDATA.mspo.lock");
    fs::create_directory_symlink(t.po(), t.path / "alias");
    CHECK(toolkit_lock_path(t.path / "alias") == toolkit_lock_path(t.po()));
    CHECK(toolkit_lock_path(t.po() / "") == toolkit_lock_path(t.po()));
}

TEST_CASE("lock: a second holder is refused and told who holds it", "[lock]") {
    TempDir t;
    {
        ToolkitLock first(t.po(), "palfix");
        CHECK_FALSE(first.stale_holder());
        CHECK(fs::exists(first.path()));
        try {
            ToolkitLock second(t.po(), "p1clean");
            FAIL("two holders");
        } catch (const Error& e) {
            CHECK(e.code() == Errc::in_use);
            std::string what = e.what();
            CHECK(what.find("pid " + std::to_string(::getpid())) != std::string::npos);
            CHECK(what.find("palfix") != std::string::npos);
        }
    }
    CHECK_FALSE(fs::exists(toolkit_lock_path(t.po())));
    ToolkitLock again(t.po(), "p1clean");  // released by the destructor
}

#if !defined(_WIN32)  // POSIX only: fork() and flock() play the other holder
TEST_CASE("lock: a crashed holder's lock is stale and taken over", "[lock]") {
    TempDir t;
    pid_t child = ::fork();
    if (child == 0) {
        try {
            new ToolkitLock(t.po(), "crasher");  // never destroyed: simulates a crash
        } catch (...) { ::_exit(2); }
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    REQUIRE(fs::exists(toolkit_lock_path(t.po())));
    ToolkitLock lock(t.po(), "palfix");
    REQUIRE(lock.stale_holder());
    CHECK(lock.stale_holder()->find("crasher") != std::string::npos);
    CHECK(lock.stale_holder()->find("pid " + std::to_string(child)) != std::string::npos);
}
#endif

#if !defined(_WIN32)  // POSIX only: fork() and flock() play the other holder
TEST_CASE("lock: two fixers started together, exactly one proceeds", "[lock]") {
    // The winner holds the lock until the parent has seen the loser give up,
    // so a slow scheduler cannot let the two run one after the other.
    TempDir t;
    for (int round = 0; round < 5; ++round) {
        int go[2], release[2];
        REQUIRE(::pipe(go) == 0);
        REQUIRE(::pipe(release) == 0);
        pid_t kids[2];
        for (auto& kid : kids) {
            kid = ::fork();
            if (kid == 0) {
                ::close(go[1]);
                ::close(release[1]);
                char c;
                if (::read(go[0], &c, 1) != 1) ::_exit(9);
                try {
                    ToolkitLock lock(t.po(), "fixer");
                    (void)::read(release[0], &c, 1);  // returns 0 when the parent closes it
                    ::_exit(0);
                } catch (const Error& e) { ::_exit(e.code() == Errc::in_use ? 3 : 4); }
            }
        }
        ::close(go[0]);
        ::close(release[0]);
        REQUIRE(::write(go[1], "gg", 2) == 2);
        ::close(go[1]);
        // The first child to end must be the loser (3); then let the winner go.
        int status = 0;
        pid_t first = 0;
        for (int waited = 0; waited < 1000 && first == 0; ++waited) {
            first = ::waitpid(-1, &status, WNOHANG);
            if (first == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        if (first == 0) {  // both hold the lock: the test fails, but must not hang
            for (pid_t k : kids) ::kill(k, SIGKILL);
        }
        ::close(release[1]);
        const pid_t second = first == kids[0] ? kids[1] : kids[0];
        int status2 = 0;
        if (first == 0) {
            ::waitpid(kids[0], &status, 0);
            ::waitpid(kids[1], &status2, 0);
        } else {
            ::waitpid(second, &status2, 0);
        }
        REQUIRE(first > 0);
        REQUIRE(WIFEXITED(status));
        REQUIRE(WIFEXITED(status2));
        CHECK(WEXITSTATUS(status) == 3);
        CHECK(WEXITSTATUS(status2) == 0);
    }
}
#endif

TEST_CASE("lock: External lock files in P1, fresh and stale", "[lock]") {
    TempDir t;
    write_text(t.po() / "P1/0000002A.0LK", "");
    write_text(t.po() / "P1/lockp1id.pbb", "");
    write_text(t.po() / "P1/0000002A.P1", "");
    write_text(t.po() / "P1/POPULATE.MSM", "");
    write_text(t.po() / "P1/LOCKP1ID.PBBX", "");
    auto old = fs::file_time_type::clock::now() - std::chrono::minutes(11);
    fs::last_write_time(t.po() / "P1/lockp1id.pbb", old);
    Postoffice po(t.po());
    auto locks = scan_external_locks(po);
    REQUIRE(locks.size() == 2);
    std::sort(locks.begin(), locks.end(), [](auto& a, auto& b) { return a.relpath < b.relpath; });
    CHECK(locks[0].relpath == "P1/0000002A.0LK");
    CHECK(locks[0].fresh);
    CHECK(locks[1].relpath == "P1/lockp1id.pbb");
    CHECK_FALSE(locks[1].fresh);
    // a wider window makes the old one fresh
    auto wide = scan_external_locks(po, std::chrono::minutes(20));
    CHECK(std::all_of(wide.begin(), wide.end(), [](auto& l) { return l.fresh; }));
    CHECK(is_external_lock_name("ABCDEF01.0lk"));
    CHECK(is_external_lock_name("LOCKP1ID.PZZ"));
    CHECK_FALSE(is_external_lock_name(".0LK"));
    CHECK_FALSE(is_external_lock_name("LOCKP1ID.TXT"));
}

TEST_CASE("lock: no P1 folder means no External locks", "[lock]") {
    TempDir t;
    REQUIRE(mspo::test::remove_tree(t.po() / "P1"));
    CHECK(scan_external_locks(Postoffice(t.po())).empty());
}

#if !defined(_WIN32)  // POSIX only: fork() and flock() play the other holder
TEST_CASE("lock: probe_file_lock sees byte-range and flock locks", "[lock]") {
    TempDir t;
    write_text(t.po() / "F", "contents");
    CHECK_FALSE(probe_file_lock(t.po() / "F"));
    CHECK_FALSE(probe_file_lock(t.po() / "MISSING"));
    {
        auto holder = platform::open_rw_create(t.po() / "F", 0644);
        REQUIRE(platform::try_lock_exclusive(holder, t.po() / "F"));
        auto seen = probe_file_lock(t.po() / "F");
        REQUIRE(seen);
    }
    CHECK_FALSE(probe_file_lock(t.po() / "F"));
    int fd = ::open((t.po() / "F").c_str(), O_RDONLY);
    REQUIRE(::flock(fd, LOCK_EX) == 0);
    CHECK(probe_file_lock(t.po() / "F"));
    ::close(fd);
    CHECK_FALSE(probe_file_lock(t.po() / "F"));
    fs::create_symlink(t.po() / "F", t.po() / "L");
    CHECK_THROWS_AS(probe_file_lock(t.po() / "L"), Error);
}
#endif

TEST_CASE("lock: the lock file names the holder's run token", "[lock]") {
    TempDir t;
    ToolkitLock lock(t.po(), "p1clean");
    const auto text = mspo::test::read_text(lock.path());
    CHECK(atomic::run_token_of(text.substr(0, text.size() - 1)) == atomic::run_token());
    CHECK(text.find("tool p1clean") != std::string::npos);
}

#if !defined(_WIN32)  // POSIX only: fork() and flock() play the other holder
TEST_CASE("lock: probe_stale_toolkit_lock sees a crashed holder's lock, reading only", "[lock]") {
    TempDir t;
    CHECK_FALSE(probe_stale_toolkit_lock(t.po()));  // no lock file
    {
        ToolkitLock held(t.po(), "palfix");
        CHECK_FALSE(probe_stale_toolkit_lock(t.po()));  // held by a live fixer
    }
    pid_t child = ::fork();
    if (child == 0) {
        try {
            new ToolkitLock(t.po(), "crasher");  // never destroyed: simulates a crash
        } catch (...) { ::_exit(2); }
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    const auto before = fs::last_write_time(toolkit_lock_path(t.po()));
    auto stale = probe_stale_toolkit_lock(t.po());
    REQUIRE(stale);
    CHECK(stale->find("crasher") != std::string::npos);
    CHECK(atomic::run_token_of(*stale));
    CHECK(fs::last_write_time(toolkit_lock_path(t.po())) == before);  // not taken, not written
    ToolkitLock lock(t.po(), "palfix");
    CHECK(lock.stale_holder() == stale);
}
#endif

TEST_CASE("lock: a stale lock naming another host is refused unless forced", "[lock]") {
    TempDir t;
    const std::string text = "pid 42 on host other.example, tool palfix, since 2026-01-01T00:00:00Z, run x";
    CHECK(lock_holder_host(text) == "other.example");
    CHECK_FALSE(lock_holder_host("garbage"));
    write_text(toolkit_lock_path(t.po()), text + "\n");
    try {
        ToolkitLock refused(t.po(), "p1clean");
        FAIL("a foreign lock was taken over");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::in_use);
        const std::string what = e.what();
        CHECK(what.find("other.example") != std::string::npos);
        CHECK(what.find("--force") != std::string::npos);
    }
    CHECK(mspo::test::read_text(toolkit_lock_path(t.po())) == text + "\n");  // left as it was
    ToolkitLock forced(t.po(), "p1clean", true);
    CHECK(forced.held());
    REQUIRE(forced.overridden());
    CHECK(forced.overridden()->find("other.example") != std::string::npos);
    CHECK(forced.stale_holder() == text);
}

TEST_CASE("lock: --force runs beside a held lock, holding none", "[lock]") {
    TempDir t;
    ToolkitLock first(t.po(), "palfix");
    ToolkitLock second(t.po(), "p1clean", true);
    CHECK_FALSE(second.held());
    REQUIRE(second.overridden());
    CHECK(second.overridden()->find("palfix") != std::string::npos);
}
