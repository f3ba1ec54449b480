#include <catch2/catch.hpp>
#include <csignal>
#include <ctime>
#include <random>
#include <sstream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mspo/base/error.hpp"
#include "mspo/safety/snapshot.hpp"
#include "mspo/safety/snapshot_gzip.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using mspo::test::read_bytes;
using mspo::test::write_bytes;

namespace {
struct TempDir : mspo::test::TempPoDir {
    TempDir() : TempPoDir("snap", {"GLB", "MBG", "KEY", "MAI/MA3", "P1"}) {}
};
/// Seeded bytes that gzip can compress (mostly 'a'..'d'); not test_support's uniform random_bytes.
Bytes random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    Bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng() % 7 == 0 ? rng() : 'a' + rng() % 4);
    return b;
}
std::vector<SnapshotItem> items(std::initializer_list<const char*> paths) {
    std::vector<SnapshotItem> v;
    for (auto* p : paths) v.push_back({p, std::nullopt});
    return v;
}
std::string run(const std::string& cmd) {
    std::string out;
    FILE* f = ::popen(cmd.c_str(), "r");
    char buf[512];
    while (f && std::fgets(buf, sizeof buf, f)) out += buf;
    if (f) ::pclose(f);
    return out;
}
}  // namespace

// Builds a tar stream by hand (ustar headers) so tests can hold entries our
// writer never makes: links, devices, "..", absolute paths.
Bytes make_tar(const std::vector<std::tuple<std::string, char, std::string>>& entries) {
    Bytes tar;
    for (const auto& [name, type, data] : entries) {
        Bytes h(512, 0);
        std::copy(name.begin(), name.end(), h.begin());
        auto octal = [&](std::size_t off, std::size_t width, std::uint64_t v) {
            std::string s(width - 1, '0');
            for (std::size_t i = width - 1; i-- > 0; v >>= 3) s[i] = static_cast<char>('0' + (v & 7));
            std::copy(s.begin(), s.end(), h.begin() + static_cast<std::ptrdiff_t>(off));
        };
        octal(100, 8, 0644);
        octal(108, 8, 0);
        octal(116, 8, 0);
        octal(124, 12, type == '0' ? data.size() : 0);
        octal(136, 12, 1600000000);
        h[156] = static_cast<std::uint8_t>(type);
        if (type == '2' || type == '1') std::copy(data.begin(), data.end(), h.begin() + 157);
        std::string magic = "ustar";
        std::copy(magic.begin(), magic.end(), h.begin() + 257);
        h[263] = '0';
        h[264] = '0';
        std::fill(h.begin() + 148, h.begin() + 156, ' ');
        unsigned sum = 0;
        for (auto c : h) sum += c;
        octal(148, 7, sum);
        tar.insert(tar.end(), h.begin(), h.end());
        if (type == '0') {
            tar.insert(tar.end(), data.begin(), data.end());
            tar.resize((tar.size() + 511) / 512 * 512, 0);
        }
    }
    tar.resize(tar.size() + 1024, 0);
    return gz::compress_member(tar, 6);
}

TEST_CASE("snapshot: round trip restores bytes and mtimes; GNU tar lists it", "[snapshot]") {
    TempDir t;
    write_bytes(t.po() / "GLB/ACCESS.GLB", random_bytes(1234, 1));
    write_bytes(t.po() / "MBG/0000002A.MBG", random_bytes(3 * 1024 * 1024 + 17, 2));  // several gzip members
    write_bytes(t.po() / "KEY/0000002A.KEY", Bytes(560, 0));
    write_bytes(t.po() / "MAI/MA3/00000013.MAI", Bytes());  // empty file
    platform::set_mtime_at(platform::open_dir(t.po() / "GLB", false), "ACCESS.GLB",
                           1'234'567'890'123'456'789LL, "ACCESS.GLB");
    SnapshotOptions o;
    o.tool = "test";
    auto res = write_snapshot(t.po(),
                              items({"GLB/ACCESS.GLB", "MBG/0000002A.MBG", "KEY/0000002A.KEY",
                                     "MAI/MA3/00000013.MAI", "P1/ABSENT.P1"}),
                              o);
    CHECK(res.path.parent_path() == fs::canonical(t.snaps()));
    CHECK(res.path.filename().string().find("-test-") != std::string::npos);
    CHECK(res.manifest.files.size() == 5);
    CHECK_FALSE(res.manifest.files[4].before.present);
    // nothing else left in the snapshot folder (no .partial)
    CHECK(std::distance(fs::directory_iterator(t.snaps()), fs::directory_iterator()) == 1);

    auto v = verify_snapshot(res.path);
    CHECK(v.ok());
    CHECK(v.entries == 4);
    Manifest m;
    auto files = read_snapshot_files(res.path, m);
    REQUIRE(files.size() == 4);
    for (const auto& f : m.files) {
        if (!f.before.present) continue;
        CHECK(files.at(f.path) == read_bytes(t.po() / f.path));
        CHECK(f.before.mtime_ns == platform::stat_nofollow(t.po() / f.path).mtime_ns);
    }
    CHECK(m.files[0].before.mtime_ns == 1'234'567'890'123'456'789LL);
    std::string listing = run("tar tzf '" + res.path.string() + "' 2>&1");
    CHECK(listing ==
          "GLB/ACCESS.GLB\nMBG/0000002A.MBG\nKEY/0000002A.KEY\nMAI/MA3/00000013.MAI\nMSPO-MANIFEST.json\n");
    CHECK(read_manifest(res.path).tool == "test");
}

TEST_CASE("snapshot: truncated or bit-flipped archives are refused", "[snapshot]") {
    TempDir t;
    write_bytes(t.po() / "GLB/ACCESS.GLB", random_bytes(40000, 3));
    write_bytes(t.po() / "MBG/0000002A.MBG", random_bytes(70000, 4));
    auto res = write_snapshot(t.po(), items({"GLB/ACCESS.GLB", "MBG/0000002A.MBG"}), {});
    Bytes good = read_bytes(res.path);
    REQUIRE(verify_snapshot(res.path).ok());
    fs::path bad = t.path / "bad.tar.gz";
    for (std::size_t cut :
         {std::size_t{0}, std::size_t{5}, good.size() / 3, good.size() - 9, good.size() - 1}) {
        write_bytes(bad, Bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut)));
        CHECK_FALSE(verify_snapshot(bad).ok());
    }
    std::mt19937 rng(7);
    for (int i = 0; i < 40; ++i) {
        Bytes flipped = good;
        std::size_t at = rng() % flipped.size();
        flipped[at] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
        write_bytes(bad, flipped);
        INFO("flipped byte " << at << " of " << flipped.size() << " was " << int(good[at]));
        CHECK_FALSE(verify_snapshot(bad).ok());
        Manifest m;
        CHECK_THROWS_AS(read_snapshot_files(bad, m), Error);
    }
    Bytes trailing = good;
    trailing.push_back('x');
    write_bytes(bad, trailing);
    CHECK_FALSE(verify_snapshot(bad).ok());
    CHECK_FALSE(verify_snapshot(t.path / "missing.tar.gz").ok());
}

TEST_CASE("snapshot: entries that are links, devices, absolute or '..' are refused", "[snapshot]") {
    TempDir t;
    fs::path bad = t.path / "evil.tar.gz";
    std::vector<std::tuple<std::string, char, std::string>> cases[] = {
        {{"../etc/passwd", '0', "x"}}, {{"/etc/passwd", '0', "x"}}, {{"GLB/LINK", '2', "/etc/passwd"}},
        {{"GLB/HARD", '1', "GLB/A"}},  {{"GLB/DEV", '3', ""}},      {{"GLB", '5', ""}},
    };
    for (const auto& c : cases) {
        write_bytes(bad, make_tar(c));
        auto v = verify_snapshot(bad);
        INFO(std::get<0>(c[0]));
        CHECK_FALSE(v.ok());
    }
    // a plain tar without manifest is not a snapshot
    write_bytes(bad, make_tar({{"GLB/A", '0', "x"}}));
    CHECK_FALSE(verify_snapshot(bad).ok());
}

TEST_CASE("snapshot: refuses links in the postoffice and a folder inside it", "[snapshot]") {
    TempDir t;
    fs::create_directories(t.path / "OUT");
    write_bytes(t.path / "OUT/SECRET", random_bytes(10, 5));
    fs::create_symlink(t.path / "OUT/SECRET", t.po() / "GLB/LINK.GLB");
    try {
        write_snapshot(t.po(), items({"GLB/LINK.GLB"}), {});
        FAIL("link followed");
    } catch (const Error& e) { CHECK(e.code() == Errc::unsafe_path); }
    CHECK_FALSE(fs::exists(t.snaps()));  // nothing left: not even the folder it would have made
    SnapshotOptions inside;
    inside.dir = t.po() / "GLB" / "snaps";
    write_bytes(t.po() / "GLB/A.GLB", random_bytes(10, 6));
    try {
        write_snapshot(t.po(), items({"GLB/A.GLB"}), inside);
        FAIL("snapshot inside the postoffice");
    } catch (const Error& e) { CHECK(e.code() == Errc::unsafe_path); }
    CHECK_FALSE(fs::exists(t.po() / "GLB/snaps"));
    CHECK_THROWS_AS(write_snapshot(t.po(), items({"GLB/A.GLB", "glb/a.glb"}), {}), Error);
}

TEST_CASE("snapshot: a failing write (hook) removes the partial archive", "[snapshot]") {
    TempDir t;
    write_bytes(t.po() / "GLB/A.GLB", random_bytes(100, 8));
    for (const char* step : {"snapshot-write", "snapshot-verify"}) {
        SnapshotOptions o;
        o.hook = [&](std::string_view s, std::size_t) {
            if (s == step) throw Error(Errc::io, "injected write failure");
        };
        try {
            write_snapshot(t.po(), items({"GLB/A.GLB"}), o);
            FAIL("no error");
        } catch (const Error& e) { CHECK(e.code() == Errc::snapshot); }
        CHECK_FALSE(fs::exists(t.snaps()));  // nothing left: not even the folder it would have made
    }
}

TEST_CASE("snapshot: disk full (RLIMIT_FSIZE) gives Error{snapshot} and no archive", "[snapshot]") {
    TempDir t;
    write_bytes(t.po() / "MBG/0000002A.MBG", random_bytes(2 * 1024 * 1024, 9));
    pid_t child = ::fork();
    if (child == 0) {
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit rl{64 * 1024, 64 * 1024};
        ::setrlimit(RLIMIT_FSIZE, &rl);
        try {
            write_snapshot(t.po(), items({"MBG/0000002A.MBG"}), {});
        } catch (const Error& e) { ::_exit(e.code() == Errc::snapshot ? 8 : 3); } catch (...) {
            ::_exit(4);
        }
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 8);
    CHECK_FALSE(fs::exists(t.snaps()));  // nothing left: not even the folder it would have made
}

TEST_CASE("snapshot: names sort by time and name the tool", "[snapshot]") {
    std::tm tm{};
    tm.tm_year = 2026 - 1900;
    tm.tm_mon = 10;
    tm.tm_mday = 24;
    tm.tm_hour = 22;
    tm.tm_min = 15;
    auto ns = static_cast<std::int64_t>(::timegm(&tm)) * 1'000'000'000;
    CHECK(snapshot_file_name("p1clean", ns, 42) == "20261124T221500Z-p1clean-42.tar.gz");
    CHECK(snapshot_file_name("a/b c", ns, 1) == "20261124T221500Z-a_b_c-1.tar.gz");
    CHECK(snapshot_file_name("p", ns, 1) < snapshot_file_name("p", ns + 1'000'000'000, 1));
}

TEST_CASE("snapshot: manifest JSON round trip and bad manifests", "[snapshot]") {
    Manifest m;
    m.tool = "t";
    m.created = "2026-01-01T00:00:00Z";
    m.postoffice = "/x/PO";
    m.files.push_back({"GLB/A", {true, 3, 5, 0xDEADBEEF, {}, {}, {}}, FileState{true, 4, 0, 1, {}, {}, {}}});
    m.files.push_back({"GLB/B", {}, std::nullopt});
    auto back = manifest_from_json(manifest_to_json(m));
    CHECK(manifest_to_json(back) == manifest_to_json(m));
    CHECK(back.files[0].before.crc32 == 0xDEADBEEF);
    CHECK_THROWS_AS(manifest_from_json("{"), Error);
    CHECK_THROWS_AS(manifest_from_json("{\"format\":\"mspo-snapshot\",\"version\":99}"), Error);
    CHECK_THROWS_AS(manifest_from_json("[]"), Error);
}

TEST_CASE("snapshot manifest: a name that is not UTF-8 round-trips as bytes", "[snapshot]") {
    Manifest m;
    m.tool = "p1clean";
    m.created = "2024-01-01T00:00:00Z";
    m.postoffice = "/po/\xfe";
    ManifestEntry f;
    f.path = "P1/0000\xff\x01.P1";
    m.files.push_back(f);
    m.dirs.emplace_back("P1\xc3", 5);
    const std::string text = manifest_to_json(m);
    CHECK(text.find("path_hex") != std::string::npos);
    const Manifest back = manifest_from_json(text);
    REQUIRE(back.files.size() == 1);
    CHECK(back.files[0].path == f.path);
    CHECK(back.postoffice == m.postoffice);
    REQUIRE(back.dirs.size() == 1);
    CHECK(back.dirs[0].first == "P1\xc3");
    CHECK_THROWS_AS(manifest_from_json(R"({"format":"mspo-snapshot","version":1,"tool":"t","created":"c",
        "created_ns":0,"postoffice":"p","files":[{"path":"x","path_hex":"zz","before":{"present":false}}]})"),
                    Error);
}
