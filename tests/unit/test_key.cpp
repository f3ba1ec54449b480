#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include "mspo/base/error.hpp"
#include "mspo/format/file_rules.hpp"
#include "mspo/format/key.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using namespace mspo::test;

namespace {

void check_size_rule(const fs::path& p) {
    try {
        read_key(p);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::size_rule);
        CHECK(e.file() == p);
    }
}

}  // namespace

TEST_CASE("key: the all-zero KEY means every slot is live", "[key]") {
    const KeyFile k;
    CHECK(k.all_zero());
    CHECK(k.new_mail() == 0);
    CHECK(k.unread() == 0);
    // Valid with a 0-byte MBG ...
    CHECK(k.live_slots(0) == 0);
    CHECK(k.first_free(0) == 0u);
    // ... and with a full one.
    CHECK(k.live_slots(4096) == 4096);
    CHECK(k.first_free(4095) == 4095u);
    CHECK_FALSE(k.first_free(4096));
    CHECK_FALSE(k.first_free(5000));
    CHECK(k.bits_beyond(0) == 0);
    CHECK(k.to_bytes() == Bytes(560, 0));
    CHECK(kMailbagLimit == 4096);
}

TEST_CASE("key: bitmap bit order and polarity of the model", "[key]") {
    KeyFile k;
    k.set_slot_deleted(0, true);
    CHECK(k.raw[0x30] == 0x01);
    k.set_slot_deleted(9, true);
    CHECK(k.raw[0x31] == 0x02);
    k.set_slot_deleted(4095, true);
    CHECK(k.raw[0x22F] == 0x80);
    CHECK(k.slot_deleted(0));
    CHECK_FALSE(k.slot_deleted(1));
    CHECK(k.slot_deleted(9));
    CHECK(k.live_slots(10) == 8);
    CHECK(k.first_free(10) == 0u);
    k.set_slot_deleted(0, false);
    CHECK(k.raw[0x30] == 0x00);
    CHECK(k.first_free(10) == 9u);
    CHECK(k.first_free(5) == 5u);         // no deleted slot below 5: append
    CHECK(k.bits_beyond(10) == 1);        // slot 4095
    CHECK(k.live_slots(100000) == 4094);  // records past the limit have no bit
    CHECK(k.first_free(5000) == 9u);      // a deleted slot is reused even in an over-long mailbag
    CHECK_THROWS_AS(k.slot_deleted(4096), std::out_of_range);
    CHECK_THROWS_AS(k.set_slot_deleted(4096, true), std::out_of_range);
}

TEST_CASE("key: counters", "[key]") {
    KeyFile k;
    k.set_new_mail(3);
    k.set_unread(0x0102);
    CHECK(k.raw[0] == 3);
    CHECK(k.raw[2] == 0x02);
    CHECK(k.raw[3] == 0x01);
    CHECK(k.new_mail() == 3);
    CHECK(k.unread() == 0x0102);
}

TEST_CASE("key: a good file reads back", "[key]") {
    TempDir dir("key");
    KeyFile k;
    k.set_unread(2);
    k.set_slot_deleted(3, true);
    write_bytes(dir.path / "0000002A.KEY", k.to_bytes());
    const KeyFile back = read_key(dir.path / "0000002A.KEY");
    CHECK(back.raw == k.raw);
    CHECK(back.slot_deleted(3));
    CHECK_FALSE(size_violation(rules::key, 560));
}

TEST_CASE("key: a truncated file is refused", "[key]") {
    TempDir dir("key");
    write_bytes(dir.path / "A.KEY", Bytes(559, 0));
    check_size_rule(dir.path / "A.KEY");
    write_bytes(dir.path / "B.KEY", Bytes{});
    check_size_rule(dir.path / "B.KEY");
    CHECK_THROWS_AS(KeyFile::from_bytes(Bytes(559, 0)), Error);
}

TEST_CASE("key: absurd sizes are refused", "[key]") {
    TempDir dir("key");
    write_bytes(dir.path / "A.KEY", Bytes(561, 0));
    check_size_rule(dir.path / "A.KEY");
    write_bytes(dir.path / "B.KEY", {});
    fs::resize_file(dir.path / "B.KEY", 1ull << 32);  // sparse, never read
    check_size_rule(dir.path / "B.KEY");
    try {
        KeyFile::from_bytes(Bytes(1120, 0), "X.KEY");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::size_rule);
        CHECK(e.file() == "X.KEY");
    }
}

TEST_CASE("key: unknown bytes survive decode, set field, encode", "[key]") {
    const Bytes image = random_bytes(560, 5);
    KeyFile k = KeyFile::from_bytes(image);
    CHECK(k.to_bytes() == image);
    CHECK_FALSE(k.all_zero());

    const bool was = k.slot_deleted(100);
    k.set_slot_deleted(100, !was);
    k.set_new_mail(9);
    const Bytes out = k.to_bytes();
    for (std::size_t i = 0; i < 560; ++i) {
        if (i < 2) continue;
        if (i == 0x30 + 100 / 8) {
            CHECK((out[i] ^ image[i]) == (1u << (100 % 8)));
            continue;
        }
        CHECK(out[i] == image[i]);
    }
    CHECK(KeyFile::from_bytes(out).slot_deleted(100) == !was);
}

TEST_CASE("key: readings of the bitmap", "[key]") {
    CHECK(kKeyReadings.size() == 8);
    CHECK(kKeyReadings[0] == KeyReading::model);
    std::set<std::string_view> names;
    for (const auto r : kKeyReadings) {
        CHECK_FALSE(key_reading_name(r).empty());
        CHECK(names.insert(key_reading_name(r)).second);
    }
    CHECK(key_reading_name(KeyReading::model) == "our model");
    CHECK(key_reading_name(KeyReading::inverted) == "inverted polarity");

    KeyFile k;
    k.raw[0x30] = 0x01;  // model: slot 0; msb first: slot 7
    k.raw[0x00] = 0x80;  // at offset 0: slot 0 msb first, slot 7 lsb first
    CHECK(k.slot_deleted_as(0, KeyReading::model));
    CHECK_FALSE(k.slot_deleted_as(7, KeyReading::model));
    CHECK_FALSE(k.slot_deleted_as(0, KeyReading::inverted));
    CHECK(k.slot_deleted_as(1, KeyReading::inverted));
    CHECK(k.slot_deleted_as(7, KeyReading::msb_first));
    CHECK_FALSE(k.slot_deleted_as(0, KeyReading::msb_first));
    CHECK_FALSE(k.slot_deleted_as(7, KeyReading::msb_first_inverted));
    CHECK(k.slot_deleted_as(0, KeyReading::msb_first_inverted));
    CHECK(k.slot_deleted_as(7, KeyReading::at_start));
    CHECK_FALSE(k.slot_deleted_as(0, KeyReading::at_start));
    CHECK(k.slot_deleted_as(0, KeyReading::at_start_inverted));
    CHECK_FALSE(k.slot_deleted_as(7, KeyReading::at_start_inverted));
    CHECK(k.slot_deleted_as(0, KeyReading::at_start_msb_first));
    CHECK_FALSE(k.slot_deleted_as(7, KeyReading::at_start_msb_first));
    CHECK_FALSE(k.slot_deleted_as(0, KeyReading::at_start_msb_first_inverted));
    CHECK(k.slot_deleted_as(7, KeyReading::at_start_msb_first_inverted));
    // The bitmap at offset 0 reaches 0x1FF: slot 4095 is bit 7 (lsb first) of byte 0x1FF.
    k.raw[0x1FF] = 0x80;
    CHECK(k.slot_deleted_as(4095, KeyReading::at_start));
    CHECK(k.slot_deleted_as(4088, KeyReading::at_start_msb_first));
    // Our model is slot_deleted, for every slot of a random KEY.
    const KeyFile r = KeyFile::from_bytes(random_bytes(560, 11));
    for (std::size_t s = 0; s < kMailbagLimit; ++s) {
        REQUIRE(r.slot_deleted_as(s, KeyReading::model) == r.slot_deleted(s));
        REQUIRE(r.slot_deleted_as(s, KeyReading::inverted) == !r.slot_deleted(s));
        REQUIRE(r.slot_deleted_as(s, KeyReading::at_start_inverted) ==
                !r.slot_deleted_as(s, KeyReading::at_start));
    }
    for (const auto rd : kKeyReadings) CHECK_THROWS_AS(k.slot_deleted_as(4096, rd), std::out_of_range);
}
