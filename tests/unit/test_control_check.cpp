#include <catch2/catch.hpp>

#include "mspo/format/control.hpp"
#include "mspo/format/mbg.hpp"
#include "pogen_fixture.hpp"

using namespace mspo;
using pogen_fixture::TempPostoffice;
namespace fs = std::filesystem;

namespace {
constexpr std::string_view kSpec = "user ADMIN mail=2\nuser BOB mail=1\nexternal NET/PO users=1\n";

ControlFile control_of(const TempPostoffice& po) {
    return *ControlFile::from_bytes(pogen_fixture::read_bytes(po.path("GLB/CONTROL.GLB")));
}
}  // namespace

TEST_CASE("control_check: counters above every number pass", "[checks][control]") {
    TempPostoffice po(kSpec);
    CHECK(check_control(po.po()).empty());
}

TEST_CASE("control_check: the mailbag counter", "[checks][control]") {
    TempPostoffice po(kSpec);
    const auto c = control_of(po);
    const std::string next = format_hex8(c.next_mailbag());
    SECTION("a file named with the next number") {
        pogen_fixture::write_bytes(po.path("USR/" + next + ".USR"), Bytes{});
        const auto f = check_control(po.po());
        REQUIRE(f.size() == 1);
        CHECK(f[0].check == "control.counter-low");
        CHECK(f[0].file == "GLB/CONTROL.GLB");
        CHECK(f[0].offset == 0u);
        CHECK(f[0].message.find("in use by USR/" + next + ".USR") != std::string::npos);
    }
    SECTION("an External lock in P1 names a mailbag") {
        pogen_fixture::write_bytes(po.path("P1/" + format_hex8(c.next_mailbag() + 5) + ".0LK"), Bytes{});
        CHECK(check_control(po.po()).size() == 1);
    }
    SECTION("a counter reset to zero (KB Q117738)") {
        auto z = c;
        z.set_next_mailbag(0);
        pogen_fixture::write_bytes(po.path("GLB/CONTROL.GLB"), z.to_bytes());
        const auto f = check_control(po.po());
        REQUIRE(f.size() == 1);
        CHECK(f[0].message.find("next mailbag number 00000000") == 0);
    }
}

TEST_CASE("control_check: the letter counter", "[checks][control]") {
    TempPostoffice po(kSpec);
    const auto c = control_of(po);
    const std::uint32_t next = c.next_letter();
    SECTION("an ATT file") {
        pogen_fixture::write_bytes(po.path(att_relpath(next)), Bytes(20));
        const auto f = check_control(po.po());
        REQUIRE(f.size() == 1);
        CHECK(f[0].offset == 4u);
    }
    SECTION("a P1 envelope and its Pxx lock") {
        pogen_fixture::write_bytes(po.path("P1/" + format_hex8(next) + ".PBB"), Bytes{});
        CHECK(check_control(po.po()).size() == 1);
    }
    SECTION("LOCKP1ID is no number") {
        pogen_fixture::write_bytes(po.path("P1/LOCKP1ID.PZZ"), Bytes{});
        CHECK(check_control(po.po()).empty());
    }
    SECTION("a live header naming a MAI that no longer exists") {
        MbgRecord r;
        r.set_mai(next + 100);
        auto b = pogen_fixture::read_bytes(po.path("MBG/00000001.MBG"));
        b.insert(b.end(), r.raw.begin(), r.raw.end());
        pogen_fixture::write_bytes(po.path("MBG/00000001.MBG"), b);
        const auto f = check_control(po.po());
        REQUIRE(f.size() == 1);
        CHECK(f[0].message.find("live mailbag header") != std::string::npos);
    }
}

TEST_CASE("control_check: damage it leaves to others", "[checks][control]") {
    TempPostoffice po(kSpec);
    SECTION("CONTROL.GLB of the wrong size is size.rule's") {
        pogen_fixture::write_bytes(po.path("GLB/CONTROL.GLB"), Bytes(5));
        CHECK(check_control(po.po()).empty());
    }
    SECTION("a missing CONTROL.GLB is glb.missing's") {
        fs::remove(po.path("GLB/CONTROL.GLB"));
        CHECK(check_control(po.po()).empty());
    }
    SECTION("no ACCESS files: the other numbers are still checked") {
        fs::remove(po.path("GLB/ACCESS2.GLB"));
        CHECK(check_control(po.po()).empty());
    }
}
