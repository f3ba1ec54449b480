#include <catch2/catch.hpp>
#include <cstdint>

#include "mspo/format/glb_fixed.hpp"
#include "test_support.hpp"

using namespace mspo;
using namespace mspo::test;

TEMPLATE_TEST_CASE("glb_fixed: size is the documented fixed size", "[glb_fixed]", MasterFile, FlagFile,
                   TidFile, RnetsemFile, ModemFile, GlobalFile, ReqconfFile) {
    CHECK(TestType::rule.record == 0);
    CHECK(TestType::size == TestType::rule.header);
    CHECK(sizeof(TestType::raw) == TestType::size);
    CHECK_FALSE(size_violation(TestType::rule, TestType::size));
}

TEMPLATE_TEST_CASE("glb_fixed: a good file decodes and encodes unchanged", "[glb_fixed]", MasterFile,
                   FlagFile, TidFile, RnetsemFile, ModemFile, GlobalFile, ReqconfFile) {
    const Bytes good = random_bytes(TestType::size, 7);
    const std::optional<TestType> f = TestType::from_bytes(good);
    REQUIRE(f);
    CHECK(f->to_bytes() == good);
}

TEMPLATE_TEST_CASE("glb_fixed: truncated and wrong-size files are refused", "[glb_fixed]", MasterFile,
                   FlagFile, TidFile, RnetsemFile, ModemFile, GlobalFile, ReqconfFile) {
    const std::size_t n = TestType::size;
    for (std::size_t bad : {std::size_t{0}, n - 1, n + 1, 2 * n, std::size_t{1024 * 1024}}) {
        INFO("size " << bad);
        CHECK_FALSE(TestType::from_bytes(Bytes(bad, 0)));
        CHECK(size_violation(TestType::rule, bad));
    }
    CHECK(size_violation(TestType::rule, 3'000'000'000ull));
}

TEST_CASE("MasterFile: enhanced security byte at 0x94 (KB Q104586)", "[glb_fixed][master]") {
    Bytes b(176, 0);
    b[0x94] = 0x01;
    auto m = MasterFile::from_bytes(b);
    REQUIRE(m);
    CHECK(m->enhanced_security());
    CHECK(m->enhanced_security_byte() == 1);

    b[0x94] = 0x00;
    CHECK_FALSE(MasterFile::from_bytes(b)->enhanced_security());

    b[0x94] = 0x02;  // undocumented value: not reported as on, but visible
    m = MasterFile::from_bytes(b);
    CHECK_FALSE(m->enhanced_security());
    CHECK(m->enhanced_security_byte() == 2);

    m->set_enhanced_security(true);
    CHECK(m->raw[0x94] == 1);
    m->set_enhanced_security(false);
    CHECK(m->raw[0x94] == 0);
}

TEST_CASE("MasterFile: round trip keeps unknown bytes", "[glb_fixed][master]") {
    Bytes original = random_bytes(MasterFile::size, 11);
    original[MasterFile::kEnhancedSecurity] = 1;
    auto m = MasterFile::from_bytes(original);
    REQUIRE(m);
    m->set_enhanced_security(m->enhanced_security());
    CHECK(m->to_bytes() == original);
}

TEST_CASE("TidFile: the TID counter is one little-endian u32", "[glb_fixed][tid]") {
    const auto t = TidFile::from_bytes(Bytes{0x7F, 0x69, 0x67, 0x7F});
    REQUIRE(t);
    CHECK(t->tid() == 0x7F67697Fu);
    TidFile u;
    u.set_tid(0x01020304u);
    CHECK(u.to_bytes() == Bytes{0x04, 0x03, 0x02, 0x01});

    const Bytes original = random_bytes(4, 3);
    auto r = TidFile::from_bytes(original);
    r->set_tid(r->tid());
    CHECK(r->to_bytes() == original);
}

TEST_CASE("RnetsemFile: one long counter (KB Q118946)", "[glb_fixed][rnetsem]") {
    auto r = RnetsemFile::from_bytes(Bytes{5, 0, 0, 0});
    REQUIRE(r);
    CHECK(r->counter() == 5);
    r->set_counter(r->counter() + 1);
    CHECK(r->to_bytes() == Bytes{6, 0, 0, 0});
}
