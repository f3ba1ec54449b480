#include <catch2/catch.hpp>

#include "mspo/safety/postoffice_id.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using mspo::test::random_bytes;
using mspo::test::write_bytes;

namespace {
struct TempDir : mspo::test::TempPoDir {
    TempDir() : TempPoDir("poid", {"GLB"}) {}
};
}  // namespace

TEST_CASE("postoffice_id: the CRC of MASTER.GLB, whatever the path or the Enhanced Security byte",
          "[postoffice_id]") {
    TempDir a, b;
    Bytes master = random_bytes(176, 1);
    master[0x94] = 0;
    write_bytes(a.po() / "GLB/MASTER.GLB", master);
    const auto id = postoffice_identity(a.po());
    REQUIRE(id);
    // A copy elsewhere (a moved postoffice) has the same identity.
    write_bytes(b.po() / "GLB/MASTER.GLB", master);
    CHECK(postoffice_identity(b.po()) == id);
    // Switching Enhanced Security does not change it.
    master[0x94] = 1;
    write_bytes(b.po() / "GLB/MASTER.GLB", master);
    CHECK(postoffice_identity(b.po()) == id);
    // Another postoffice's MASTER.GLB does.
    write_bytes(b.po() / "GLB/MASTER.GLB", random_bytes(176, 2));
    CHECK(postoffice_identity(b.po()) != id);
    // Names are matched case-insensitively.
    mspo::test::rename_case(b.po() / "GLB/MASTER.GLB", b.po() / "GLB/master.glb");
    CHECK(postoffice_identity(b.po()));
}

TEST_CASE("postoffice_id: a missing, damaged or linked MASTER.GLB identifies nothing",
          "[postoffice_id][makes-links]") {
    TempDir t;
    CHECK_FALSE(postoffice_identity(t.po()));  // missing
    write_bytes(t.po() / "GLB/MASTER.GLB", Bytes());
    CHECK_FALSE(postoffice_identity(t.po()));  // empty
    write_bytes(t.po() / "GLB/MASTER.GLB", random_bytes(175, 3));
    CHECK_FALSE(postoffice_identity(t.po()));  // truncated
    write_bytes(t.po() / "GLB/MASTER.GLB", random_bytes(177, 3));
    CHECK_FALSE(postoffice_identity(t.po()));  // too long
    fs::remove(t.po() / "GLB/MASTER.GLB");
    write_bytes(t.path / "OUTSIDE", random_bytes(176, 4));
    fs::create_symlink(t.path / "OUTSIDE", t.po() / "GLB/MASTER.GLB");
    CHECK_FALSE(postoffice_identity(t.po()));  // a link is never followed
    CHECK_FALSE(postoffice_identity(t.path / "NOWHERE"));
}
