#include <catch2/catch.hpp>
#include <cstdint>

#include "mspo/format/control.hpp"
#include "mspo/format/file_rules.hpp"
#include "test_support.hpp"

using namespace mspo;
using namespace mspo::test;

TEST_CASE("ControlFile: reads the two documented counters", "[control]") {
    // next mailbag 0x0000002A, next letter 0x00012010, little-endian (KB Q87388).
    const Bytes good{0x2A, 0x00, 0x00, 0x00, 0x10, 0x20, 0x01, 0x00};
    REQUIRE_FALSE(size_violation(rules::control, good.size()));
    const auto f = ControlFile::from_bytes(good);
    REQUIRE(f);
    CHECK(f->next_mailbag() == 0x2Au);
    CHECK(f->next_letter() == 0x12010u);
    CHECK(f->to_bytes() == good);
}

TEST_CASE("ControlFile: setters write little-endian at 0 and 4", "[control]") {
    ControlFile f;
    f.set_next_mailbag(0x11223344u);
    f.set_next_letter(0xA1B2C3D4u);
    CHECK(f.to_bytes() == Bytes{0x44, 0x33, 0x22, 0x11, 0xD4, 0xC3, 0xB2, 0xA1});
    CHECK(f.next_mailbag() == 0x11223344u);
    CHECK(f.next_letter() == 0xA1B2C3D4u);
}

TEST_CASE("ControlFile: a reset file reads as zero counters", "[control]") {
    const auto f = ControlFile::from_bytes(Bytes(8, 0));
    REQUIRE(f);
    CHECK(f->next_mailbag() == 0);
    CHECK(f->next_letter() == 0);
}

TEST_CASE("ControlFile: truncated and wrong-size files are refused", "[control]") {
    for (std::size_t n : {0u, 1u, 4u, 7u, 9u, 16u, 1024u * 1024u}) {
        INFO("size " << n);
        CHECK_FALSE(ControlFile::from_bytes(Bytes(n, 0xFF)));
        CHECK(size_violation(rules::control, n));
    }
    // A size far beyond memory is judged from the number alone.
    CHECK(size_violation(rules::control, 3'000'000'000ull));
}

TEST_CASE("ControlFile: round trip keeps every byte", "[control]") {
    for (std::uint32_t seed = 1; seed <= 20; ++seed) {
        const Bytes original = random_bytes(ControlFile::size, seed);
        auto f = ControlFile::from_bytes(original);
        REQUIRE(f);
        f->set_next_letter(f->next_letter());
        f->set_next_mailbag(f->next_mailbag());
        CHECK(f->to_bytes() == original);
    }
}
