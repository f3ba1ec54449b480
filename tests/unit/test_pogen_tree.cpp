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
    REQUIRE(mspo::test::remove_tree(dir));
}

TEST_CASE("pogen_tree: an empty existing folder is fine", "[pogen]") {
    const auto dir = pogen_fixture::TempPostoffice::unique_path();
    fs::create_directories(dir);
    write_tree(tiny(), dir);
    CHECK(fs::exists(dir / "GLB/A.GLB"));
    REQUIRE(mspo::test::remove_tree(dir));
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

TEST_CASE("pogen_tree: a path out of OUTDIR is refused and nothing is written", "[pogen]") {
    CHECK(is_safe_file_name("A..B.P1"));
    CHECK_FALSE(is_safe_file_name(".."));
    CHECK_FALSE(is_safe_file_name("."));
    CHECK_FALSE(is_safe_file_name(""));
    CHECK_FALSE(is_safe_file_name("A/B"));
    CHECK_FALSE(is_safe_file_name("A\\B"));
    CHECK_FALSE(is_safe_file_name(std::string_view("A\0B", 3)));
    CHECK(is_inside_path("MAI/MA0/00000010.MAI"));
    for (const std::string bad : {"../X", "P1/../../X", "/abs", "P1//X", "P1/./X", "P1/", "", "P1\\..\\X"}) {
        INFO(bad);
        CHECK_FALSE(is_inside_path(bad));
        for (const bool as_dir : {false, true}) {
            const auto parent = pogen_fixture::TempPostoffice::unique_path();
            const auto dir = parent / "OUT";
            Tree t = tiny();
            if (as_dir)
                t.dirs.insert(bad);
            else
                t.files[bad] = TreeFile{Bytes{1}, 0, false};
            try {
                write_tree(t, dir);
                FAIL("write_tree accepted " << bad);
            } catch (const Error& e) {
                CHECK(e.code() == Errc::usage);
                CHECK(std::string(e.what()).find("path leaves OUTDIR: " + bad) != std::string::npos);
            }
            CHECK_FALSE(fs::exists(parent));  // nothing at all, not even OUTDIR
        }
    }
}

TEST_CASE("pogen_tree: FIFOs and links, never written through", "[pogen][makes-links][makes-fifos]") {
    const auto dir = pogen_fixture::TempPostoffice::unique_path();
    Tree t = tiny();
    t.files["GLB/F.GLB"] = TreeFile{{}, 1000000000, false, TreeFile::Kind::fifo};
    t.files["GLB/L.GLB"] = TreeFile{{}, 0, false, TreeFile::Kind::symlink, "/dev/null"};
    t.files["GLB/D.GLB"] = TreeFile{{}, 0, false, TreeFile::Kind::symlink, "NO-SUCH"};
    const auto null_mtime = fs::last_write_time("/dev/null");
    write_tree(t, dir);
    CHECK(fs::is_fifo(fs::symlink_status(dir / "GLB/F.GLB")));
    CHECK(fs::is_symlink(fs::symlink_status(dir / "GLB/L.GLB")));
    CHECK(fs::read_symlink(dir / "GLB/L.GLB") == "/dev/null");
    CHECK(fs::read_symlink(dir / "GLB/D.GLB") == "NO-SUCH");
    CHECK(fs::last_write_time("/dev/null") == null_mtime);  // the link's target is never touched
    REQUIRE(mspo::test::remove_tree(dir));
    // Nothing may lie below a link or FIFO (a write there would go through it).
    Tree below = tiny();
    below.files["GLB/L"] = TreeFile{{}, 0, false, TreeFile::Kind::symlink, "/tmp"};
    below.files["GLB/L/X"] = TreeFile{Bytes{1}, 0, false};
    CHECK_THROWS_AS(write_tree(below, dir), Error);
    CHECK_FALSE(fs::exists(dir));
    Tree dir_below = tiny();
    dir_below.files["GLB/L"] = TreeFile{{}, 0, false, TreeFile::Kind::fifo};
    dir_below.dirs.insert("GLB/L/SUB");
    CHECK_THROWS_AS(write_tree(dir_below, dir), Error);
    CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("pogen_tree: the digest covers FIFOs and link targets", "[pogen]") {
    Tree a = tiny();
    a.files["GLB/X"] = TreeFile{{}, 0, false, TreeFile::Kind::fifo};
    Tree b = tiny();
    b.files["GLB/X"] = TreeFile{{}, 0, false};
    Tree c = tiny();
    c.files["GLB/X"] = TreeFile{{}, 0, false, TreeFile::Kind::symlink, "/dev/null"};
    Tree d = tiny();
    d.files["GLB/X"] = TreeFile{{}, 0, false, TreeFile::Kind::symlink, "NO-SUCH"};
    const std::set<std::string> digests = {tree_digest(a), tree_digest(b), tree_digest(c), tree_digest(d)};
    CHECK(digests.size() == 4);
}
