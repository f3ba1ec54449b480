#include <catch2/catch.hpp>
#include <stdexcept>

#include "mspo/base/bytes.hpp"

using namespace mspo;

TEST_CASE("bytes: little-endian integers round trip", "[bytes]") {
    Bytes b(8, 0);
    put_u32(b, 0, 0x12345678u);
    put_u16(b, 4, 0xBEEF);
    CHECK(b[0] == 0x78);
    CHECK(b[3] == 0x12);
    CHECK(get_u32(b, 0) == 0x12345678u);
    CHECK(get_u16(b, 4) == 0xBEEF);
}

TEST_CASE("bytes: reads past the buffer throw", "[bytes]") {
    Bytes b(3, 0);
    CHECK_THROWS_AS(get_u32(b, 0), std::out_of_range);
    CHECK_THROWS_AS(get_u16(b, 2), std::out_of_range);
    CHECK_THROWS_AS(get_cstr(b, 1, 3), std::out_of_range);
    CHECK_THROWS_AS(get_u32(b, static_cast<std::size_t>(-1)), std::out_of_range);
}

TEST_CASE("bytes: text fields", "[bytes]") {
    Bytes b(11, 0xAA);
    put_cstr_keep_tail(b, 0, 11, "ADMIN");
    CHECK(get_cstr(b, 0, 11) == "ADMIN");
    CHECK(b[6] == 0xAA);  // tail kept
    put_cstr(b, 0, 11, "ADMIN");
    CHECK(b[6] == 0);
    CHECK_THROWS_AS(put_cstr(b, 0, 11, "ELEVENCHARS"), std::length_error);
}

TEST_CASE("bytes: hex8 file numbers", "[bytes]") {
    std::uint32_t n = 0;
    CHECK(parse_hex8("0000002a", n));
    CHECK(n == 0x2A);
    CHECK(format_hex8(0x2A) == "0000002A");
    CHECK_FALSE(is_hex8("0000002G"));
    CHECK_FALSE(is_hex8("2A"));
}
