#include <catch2/catch.hpp>
#include <cstdint>

#include "mspo/format/file_rules.hpp"
#include "mspo/format/opaque_records.hpp"
#include "test_support.hpp"

using namespace mspo;
using namespace mspo::test;

namespace {

template <class R>
std::size_t header_size() {
    return static_cast<std::size_t>(R::rule.header);
}

}  // namespace

TEMPLATE_TEST_CASE("opaque_records: record size matches the size rule", "[opaque_records]", UsrRecord,
                   XtnRecord, ServerRecord, ProcessRecord, GalIndexEntry) {
    CHECK(TestType::rule.record == TestType::size);
    CHECK(sizeof(TestType::raw) == TestType::size);
}

TEMPLATE_TEST_CASE("opaque_records: a good file decodes and encodes unchanged", "[opaque_records]", UsrRecord,
                   XtnRecord, ServerRecord, ProcessRecord, GalIndexEntry) {
    const std::size_t head = header_size<TestType>();
    const Bytes b = random_bytes(head + 4 * TestType::size, 21);
    CHECK_FALSE(size_violation(TestType::rule, b.size()));
    const Table<TestType> t = decode_table<TestType>(b, TestType::rule);
    CHECK(t.header.size() == head);
    REQUIRE(t.records.size() == 4);
    CHECK(t.trailing.empty());
    CHECK(std::equal(t.records[2].raw.begin(), t.records[2].raw.end(),
                     b.begin() + static_cast<std::ptrdiff_t>(head + 2 * TestType::size)));
    CHECK(encode_table(t) == b);

    // Header only: a valid file with no records.
    const Table<TestType> empty = decode_table<TestType>(Bytes(head, 0), TestType::rule);
    CHECK(empty.records.empty());
    CHECK_FALSE(size_violation(TestType::rule, head));
}

TEMPLATE_TEST_CASE("opaque_records: a truncated file keeps every byte", "[opaque_records]", UsrRecord,
                   XtnRecord, ServerRecord, ProcessRecord, GalIndexEntry) {
    const std::size_t head = header_size<TestType>();
    const Bytes b = random_bytes(head + 3 * TestType::size - 1, 22);
    CHECK(size_violation(TestType::rule, b.size()));
    const Table<TestType> t = decode_table<TestType>(b, TestType::rule);
    CHECK(t.records.size() == 2);
    CHECK(t.trailing.size() == TestType::size - 1);
    CHECK(encode_table(t) == b);

    if (head > 0) {  // shorter than the header
        const Bytes tiny = random_bytes(head - 1, 23);
        CHECK(size_violation(TestType::rule, tiny.size()));
        const Table<TestType> u = decode_table<TestType>(tiny, TestType::rule);
        CHECK(u.header.size() == head - 1);
        CHECK(u.records.empty());
        CHECK(encode_table(u) == tiny);
    }
}

TEMPLATE_TEST_CASE("opaque_records: absurd sizes", "[opaque_records]", UsrRecord, XtnRecord, ServerRecord,
                   ProcessRecord, GalIndexEntry) {
    const std::size_t head = header_size<TestType>();
    const Bytes b(head + 2 * TestType::size + 1, 0x41);
    CHECK(size_violation(TestType::rule, b.size()));
    const Table<TestType> t = decode_table<TestType>(b, TestType::rule);
    CHECK(t.records.size() == 2);
    CHECK(t.trailing.size() == 1);
    CHECK(encode_table(t) == b);

    // About 6 MB of records whatever the record size (10^6 GALINDEX entries).
    const std::size_t n = 6'000'000 / TestType::size;
    const Bytes big(head + n * TestType::size, 0x42);
    const Table<TestType> bt = decode_table<TestType>(big, TestType::rule);
    CHECK(bt.records.size() == n);
    CHECK(encode_table(bt) == big);

    // Claimed sizes far past memory are judged from the number alone.
    CHECK(size_violation(TestType::rule, head + 500'000'000ull * TestType::size + 1));
    CHECK_FALSE(size_violation(TestType::rule, head + 500'000'000ull * TestType::size));
}

TEMPLATE_TEST_CASE("opaque_records: round trip keeps unknown bytes", "[opaque_records]", UsrRecord, XtnRecord,
                   ServerRecord, ProcessRecord, GalIndexEntry) {
    const std::size_t head = header_size<TestType>();
    const Bytes original = random_bytes(head + 7 * TestType::size + 3, 24);
    Table<TestType> t = decode_table<TestType>(original, TestType::rule);
    REQUIRE(t.records.size() == 7);
    if constexpr (std::is_same_v<TestType, GalIndexEntry>) {
        for (auto& e : t.records) {
            e.set_word(e.word());
            e.set_nme_offset(e.nme_offset());
        }
    }
    CHECK(encode_table(t) == original);
}

TEST_CASE("GalIndexEntry: word and GAL.NME offset (KB Q86375)", "[opaque_records][galindex]") {
    GalIndexEntry e;
    e.set_word(2);
    e.set_nme_offset(45 * 1000);
    CHECK(e.raw == std::array<std::uint8_t, 6>{0x02, 0x00, 0xC8, 0xAF, 0x00, 0x00});
    CHECK(e.word() == 2);
    CHECK(e.nme_offset() == 45000u);
    CHECK(e.nme_record() == 1000u);
    e.set_nme_offset(46);
    CHECK_FALSE(e.nme_record());
    e.set_nme_offset(0);
    CHECK(e.nme_record() == 0u);
}

TEST_CASE("galindex: header of 52 letter offsets", "[opaque_records][galindex]") {
    CHECK(galindex_slot('A') == 0u);
    CHECK(galindex_slot('Z') == 25u);
    CHECK(galindex_slot('a') == 26u);
    CHECK(galindex_slot('z') == 51u);
    CHECK_FALSE(galindex_slot('0'));
    CHECK_FALSE(galindex_slot(' '));
    CHECK_FALSE(galindex_slot('\x8E'));

    Bytes b(208 + 6, 0);
    put_u32(b, 0, 208);       // slot 0
    put_u32(b, 51 * 4, 214);  // slot 51
    const GalIndexTable t = decode_table<GalIndexEntry>(b, GalIndexEntry::rule);
    CHECK(galindex_slot_offset(t, 0) == 208u);
    CHECK(galindex_slot_offset(t, 1) == 0u);
    CHECK(galindex_slot_offset(t, 51) == 214u);
    CHECK_FALSE(galindex_slot_offset(t, 52));

    // A header cut short answers only for the slots it still holds.
    const GalIndexTable cut = decode_table<GalIndexEntry>(Bytes(10, 0), GalIndexEntry::rule);
    CHECK(galindex_slot_offset(cut, 1) == 0u);
    CHECK_FALSE(galindex_slot_offset(cut, 2));
}
