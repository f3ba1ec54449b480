// verify_written_snapshot: the read-back check write_snapshot makes of the
// archive it has just written (the other readers are tested in
// test_snapshot.cpp, through write_snapshot).
#include <catch2/catch.hpp>
#include <random>

#include "mspo/base/error.hpp"
#include "mspo/safety/snapshot.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using mspo::test::read_bytes;
using mspo::test::write_bytes;

namespace {
struct TempDir : mspo::test::TempPoDir {
    TempDir() : TempPoDir("snapread", {"GLB", "P1"}) {}
};
Bytes some_bytes(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    Bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>('a' + rng() % 4);
    return b;
}
/// A snapshot of two present files and one absent one, and its manifest.
SnapshotResult written(TempDir& t) {
    write_bytes(t.po() / "GLB/A.GLB", some_bytes(3000, 1));
    write_bytes(t.po() / "P1/0000002A.P1", some_bytes(500, 2));
    FileState gone;  // the plan removes it
    return write_snapshot(
        t.po(), {{"GLB/A.GLB", std::nullopt}, {"P1/NOTHERE.P1", std::nullopt}, {"P1/0000002A.P1", gone}}, {});
}
std::string first_problem(const VerifyResult& v) { return v.problems.empty() ? "" : v.problems.front(); }
}  // namespace

TEST_CASE("verify_written_snapshot: the archive just written matches its own manifest", "[snapshot_read]") {
    TempDir t;
    const SnapshotResult res = written(t);
    const VerifyResult v = verify_written_snapshot(res.path, res.manifest);
    INFO(first_problem(v));
    CHECK(v.ok());
    CHECK(v.entries == 2);  // the absent file has no entry
    CHECK_FALSE(v.manifest);
    CHECK(v.entry_index.empty());
    CHECK(verify_snapshot(res.path).ok());  // and the general check agrees
}

TEST_CASE("verify_written_snapshot: any difference from the manifest written is a problem",
          "[snapshot_read]") {
    TempDir t;
    const SnapshotResult res = written(t);
    const auto fails_with = [&](Manifest m, const std::string& what) {
        const VerifyResult v = verify_written_snapshot(res.path, m);
        INFO(what << " / got: " << first_problem(v));
        REQUIRE_FALSE(v.ok());
        CHECK(first_problem(v).find(what) != std::string::npos);
    };
    Manifest m = res.manifest;
    m.files[0].before.crc32 ^= 1;
    fails_with(m, "CRC-32 differs from the manifest: GLB/A.GLB");
    m = res.manifest;
    m.files[0].before.size += 1;
    fails_with(m, "size differs from the manifest: GLB/A.GLB");
    m = res.manifest;
    m.files[2].before.mtime_ns += 1;
    fails_with(m, "mtime differs from the manifest: P1/0000002A.P1");
    m = res.manifest;
    m.files[2].before.mode = 0755;
    fails_with(m, "mode differs from the manifest: P1/0000002A.P1");
    m = res.manifest;
    m.files[2].after.reset();  // the archive's manifest records an "after"
    fails_with(m, "the manifest read back differs from the one written");
    m = res.manifest;
    m.tool = "palfix";
    fails_with(m, "the manifest read back differs from the one written");
    m = res.manifest;
    m.dirs.clear();
    fails_with(m, "the manifest read back differs from the one written");
    m = res.manifest;
    m.files[1].before = m.files[0].before;  // claims a file the archive does not hold
    m.files[1].path = "P1/NOTHERE.P1";
    fails_with(m, "entry not in the manifest, or out of its order: P1/0000002A.P1");
    m = res.manifest;
    m.files.pop_back();  // the archive holds a file the manifest does not name
    fails_with(m, "entry not in the manifest, or out of its order: P1/0000002A.P1");
    m = res.manifest;
    std::swap(m.files[0], m.files[2]);  // same files, another order
    fails_with(m, "entry not in the manifest, or out of its order: GLB/A.GLB");
    m = res.manifest;
    m.files.push_back(m.files[0]);
    m.files.back().path = "GLB/B.GLB";
    fails_with(m, "file missing from the archive: GLB/B.GLB");
}

TEST_CASE("verify_written_snapshot: truncated or bit-flipped archives are refused", "[snapshot_read]") {
    TempDir t;
    const SnapshotResult res = written(t);
    const Bytes good = read_bytes(res.path);
    const fs::path bad = t.path / "bad.tar.gz";
    for (std::size_t cut : {std::size_t{0}, good.size() / 2, good.size() - 1}) {
        write_bytes(bad, Bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut)));
        CHECK_FALSE(verify_written_snapshot(bad, res.manifest).ok());
    }
    // A flipped bit is refused whenever the general check refuses it. (Now
    // and then a flip leaves the inflated bytes as they were, e.g. in the
    // gzip header's time or in deflate's padding bits: both then pass, and
    // rightly, since the archive still holds exactly what was written.)
    std::mt19937 rng(11);
    int refused = 0;
    for (int i = 0; i < 60; ++i) {
        Bytes flipped = good;
        const std::size_t at = rng() % flipped.size();
        flipped[at] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
        write_bytes(bad, flipped);
        INFO("flipped byte " << at << " of " << flipped.size());
        const bool ok = verify_written_snapshot(bad, res.manifest).ok();
        CHECK(ok == verify_snapshot(bad).ok());
        refused += ok ? 0 : 1;
    }
    CHECK(refused >= 50);
    CHECK_FALSE(verify_written_snapshot(t.path / "missing.tar.gz", res.manifest).ok());
}
