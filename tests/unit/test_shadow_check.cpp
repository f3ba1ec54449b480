#include <catch2/catch.hpp>

#include "pogen_fixture.hpp"

using namespace mspo;
using pogen_fixture::TempPostoffice;
namespace fs = std::filesystem;

namespace {
constexpr std::string_view kSpec = "user ADMIN\nuser BOB\nuser CAROL\ngroup G ADMIN BOB CAROL\n";

void copy_time(const fs::path& from, const fs::path& to) {
    fs::last_write_time(to, fs::last_write_time(from));
}
}  // namespace

TEST_CASE("shadow_check: identical shadows pass", "[checks][shadow]") {
    TempPostoffice po(kSpec);
    CHECK(check_shadows(po.po()).empty());
}

TEST_CASE("shadow_check: NME shadow differing in bytes, size, date", "[checks][shadow]") {
    TempPostoffice po(kSpec);
    const auto shd = po.path("NME/ADMINSHD.NME");
    auto b = pogen_fixture::read_bytes(shd);
    SECTION("bytes") {
        b[45 + 3] ^= 1;  // record 1
        pogen_fixture::write_bytes(shd, b);
        copy_time(po.path("NME/ADMIN.NME"), shd);
        const auto f = check_shadows(po.po());
        REQUIRE(f.size() == 1);
        CHECK(f[0].check == "shadow.nme-mismatch");
        CHECK(f[0].file == "NME/ADMINSHD.NME");
        CHECK(f[0].record == 1u);
        CHECK(f[0].offset == 48u);
    }
    SECTION("size (the common part equal)") {
        b.resize(b.size() + 45);
        pogen_fixture::write_bytes(shd, b);
        copy_time(po.path("NME/ADMIN.NME"), shd);
        const auto f = check_shadows(po.po());
        REQUIRE(f.size() == 1);
        CHECK(f[0].message.find("differ in size") != std::string::npos);
    }
    SECTION("date only") {
        fs::last_write_time(shd, fs::last_write_time(shd) - std::chrono::seconds(5));
        const auto f = check_shadows(po.po());
        REQUIRE(f.size() == 1);
        CHECK(f[0].message.find("differ in date (modified 5 s apart; NME/ADMIN.NME is newer)") !=
              std::string::npos);
    }
    SECTION("date only, the shadow newer: the distance is never negative") {
        fs::last_write_time(shd, fs::last_write_time(shd) + std::chrono::seconds(7));
        const auto f = check_shadows(po.po());
        REQUIRE(f.size() == 1);
        CHECK(f[0].message.find("differ in date (modified 7 s apart; NME/ADMINSHD.NME is newer)") !=
              std::string::npos);
    }
    SECTION("a date difference under a second is no difference") {
        fs::last_write_time(shd, fs::last_write_time(shd) + std::chrono::milliseconds(300));
        CHECK(check_shadows(po.po()).empty());
    }
}

TEST_CASE("shadow_check: GRP shadow, record numbers after the 8-byte header", "[checks][shadow]") {
    TempPostoffice po(kSpec);
    const auto shd = po.path("GRP/ADMINSHD.GRP");
    auto b = pogen_fixture::read_bytes(shd);
    SECTION("a node") {
        b[8 + 2 * 8 + 1] ^= 0xFF;
        pogen_fixture::write_bytes(shd, b);
        copy_time(po.path("GRP/ADMIN.GRP"), shd);
        const auto f = check_shadows(po.po());
        REQUIRE(f.size() == 1);
        CHECK(f[0].check == "shadow.grp-mismatch");
        CHECK(f[0].record == 2u);
        CHECK(f[0].offset == 25u);
    }
    SECTION("the header: no record") {
        b[0] = 9;
        pogen_fixture::write_bytes(shd, b);
        copy_time(po.path("GRP/ADMIN.GRP"), shd);
        const auto f = check_shadows(po.po());
        REQUIRE(f.size() == 1);
        CHECK_FALSE(f[0].record);
        CHECK(f[0].offset == 0u);
    }
}

TEST_CASE("shadow_check: a missing shadow is left to glb.missing", "[checks][shadow]") {
    TempPostoffice po(kSpec);
    fs::remove(po.path("NME/ADMINSHD.NME"));
    fs::remove(po.path("GRP/ADMIN.GRP"));
    CHECK(check_shadows(po.po()).empty());
}

TEST_CASE("shadow_check: large lists are compared in chunks", "[checks][shadow]") {
    pogen::BuildOptions o;
    o.users = 2000;  // 90,000-byte POL: more than one 64 KiB chunk
    TempPostoffice po("", {}, o);
    const auto shd = po.path("NME/ADMINSHD.NME");
    auto b = pogen_fixture::read_bytes(shd);
    REQUIRE(b.size() > 65536 + 100);
    b[65536 + 50] ^= 1;
    pogen_fixture::write_bytes(shd, b);
    copy_time(po.path("NME/ADMIN.NME"), shd);
    const auto f = check_shadows(po.po());
    REQUIRE(f.size() == 1);
    CHECK(f[0].offset == 65586u);
    CHECK(f[0].record == 65586u / 45);
}
