#include <catch2/catch.hpp>

#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"
#include "pogen_fixture.hpp"

using namespace mspo;
using namespace mspo::pogen;
namespace fs = std::filesystem;

namespace {
Tree tiny() {
    Tree t;
    t.dirs = {"GLB", "P1"};
    t.files["GLB/A.GLB"] = TreeFile{Bytes{1, 2, 3}, 1000000000, false};
    t.files["P1/POPULATE.MSM"] = TreeFile{{}, 900000000, true};
    return t;
}
}  // namespace

TEST_CASE("pogen_tree: write_tree writes bytes, times and read-only flags", "[pogen]") {
    const auto dir = pogen_fixture::TempPostoffice::unique_path();
    write_tree(tiny(), dir);
    CHECK(pogen_fixture::read_bytes(dir / "GLB/A.GLB") == Bytes{1, 2, 3});
    CHECK(platform::stat_nofollow(dir / "GLB/A.GLB").mtime_ns == 1000000000LL * 1000000000LL);
    CHECK(platform::stat_nofollow(dir / "P1/POPULATE.MSM").mtime_ns == 900000000LL * 1000000000LL);
    CHECK((fs::status(dir / "P1/POPULATE.MSM").permissions() & fs::perms::owner_write) == fs::perms::none);
    SECTION("a folder that is not empty is refused") { CHECK_THROWS_AS(write_tree(tiny(), dir), Error); }
    SECTION("a file as OUTDIR is refused") { CHECK_THROWS_AS(write_tree(tiny(), dir / "GLB/A.GLB"), Error); }
    fs::remove_all(dir);
}

TEST_CASE("pogen_tree: an empty existing folder is fine", "[pogen]") {
    const auto dir = pogen_fixture::TempPostoffice::unique_path();
    fs::create_directories(dir);
    write_tree(tiny(), dir);
    CHECK(fs::exists(dir / "GLB/A.GLB"));
    fs::remove_all(dir);
}

TEST_CASE("pogen_tree: the digest covers names, bytes, times and flags", "[pogen]") {
    const Tree a = tiny();
    CHECK(tree_digest(a) == tree_digest(tiny()));
    CHECK(tree_digest(a).size() == 16);
    Tree b = tiny();
    b.files["GLB/A.GLB"].data[0] = 9;
    CHECK(tree_digest(a) != tree_digest(b));
    Tree c = tiny();
    c.files["GLB/A.GLB"].mtime += 1;
    CHECK(tree_digest(a) != tree_digest(c));
    Tree d = tiny();
    d.files["P1/POPULATE.MSM"].read_only = false;
    CHECK(tree_digest(a) != tree_digest(d));
    Tree e = tiny();
    e.dirs.insert("MBG");
    CHECK(tree_digest(a) != tree_digest(e));
}

TEST_CASE("pogen_tree: at() on a missing file throws", "[pogen]") {
    Tree t = tiny();
    CHECK_THROWS_AS(t.at("NO/SUCH"), Error);
    CHECK_FALSE(t.has("NO/SUCH"));
}
