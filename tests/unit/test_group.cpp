#include <catch2/catch.hpp>
#include <cstdint>
#include <stdexcept>

#include "mspo/format/file_rules.hpp"
#include "mspo/format/group.hpp"
#include "test_support.hpp"

using namespace mspo;
using namespace mspo::test;

namespace {

GroupRecord make_group(bool deleted, const std::string& alias, std::uint32_t tid, std::uint8_t type,
                       std::uint32_t grp_offset) {
    GroupRecord r;
    r.set_deleted(deleted);
    r.set_alias(alias);
    r.set_tid(tid);
    r.set_type(type);
    r.set_grp_offset(grp_offset);
    return r;
}

// A 4-byte zero header, then two groups.
Bytes good_file() {
    GroupTable t;
    t.header = Bytes(4, 0);
    t.records.push_back(make_group(false, "Sales", 0x101, 4, 8));
    t.records.push_back(make_group(true, "Old team", 0x102, 4, 24));
    return encode_group(t);
}

}  // namespace

TEST_CASE("GroupRecord: field offsets of our model", "[group]") {
    const GroupRecord r = make_group(true, "Sales", 0x11223344u, 4, 0xA0B0C0D0u);
    CHECK(r.raw[0x00] == 1);
    CHECK(r.raw[0x01] == 'S');
    CHECK(r.raw[0x05] == 's');
    CHECK(r.raw[0x06] == 0);
    CHECK(r.raw[0x20] == 0x44);
    CHECK(r.raw[0x23] == 0x11);
    CHECK(r.raw[0x24] == 4);
    CHECK(r.raw[0x25] == 0xD0);
    CHECK(r.raw[0x28] == 0xA0);
    for (std::size_t i = GroupRecord::kUnknown; i < GroupRecord::size; ++i) CHECK(r.raw[i] == 0);
    CHECK(r.mem_filename() == "11223344.MEM");
}

TEST_CASE("GroupRecord: alias is 30 characters at most", "[group]") {
    GroupRecord r;
    r.set_alias(std::string(30, 'A'));
    CHECK(r.alias() == std::string(30, 'A'));
    CHECK_THROWS_AS(r.set_alias(std::string(31, 'A')), std::length_error);
    // An alias with no NUL in its field reads as the whole field.
    std::fill(r.raw.begin() + 1, r.raw.begin() + 32, static_cast<std::uint8_t>('B'));
    CHECK(r.alias() == std::string(31, 'B'));
}

TEST_CASE("GroupRecord: delete flag", "[group]") {
    GroupRecord r;
    CHECK_FALSE(r.deleted());
    r.raw[0] = 7;  // an unexpected value is not "deleted", but is visible
    CHECK_FALSE(r.deleted());
    CHECK(r.delete_flag() == 7);
    r.set_deleted(true);
    CHECK(r.deleted());
}

TEST_CASE("decode_group: a good file", "[group]") {
    const Bytes b = good_file();
    REQUIRE(b.size() == 4 + 2 * 51);
    CHECK_FALSE(size_violation(rules::group, b.size()));
    const GroupTable t = decode_group(b);
    CHECK(t.header == Bytes(4, 0));
    REQUIRE(t.records.size() == 2);
    CHECK(t.trailing.empty());
    CHECK(t.records[0].alias() == "Sales");
    CHECK_FALSE(t.records[0].deleted());
    CHECK(t.records[0].tid() == 0x101);
    CHECK(t.records[0].type() == 4);
    CHECK(t.records[0].grp_offset() == 8);
    CHECK(t.records[1].alias() == "Old team");
    CHECK(t.records[1].deleted());
    CHECK(encode_group(t) == b);
}

TEST_CASE("decode_group: a reset file is a bare 4-byte header (KB Q112905)", "[group]") {
    const Bytes b(4, 0);
    CHECK_FALSE(size_violation(rules::group, b.size()));
    const GroupTable t = decode_group(b);
    CHECK(t.header.size() == 4);
    CHECK(t.records.empty());
    CHECK(t.trailing.empty());
    CHECK(encode_group(t) == b);
}

TEST_CASE("decode_group: a truncated file keeps its partial record", "[group]") {
    Bytes b = good_file();
    b.pop_back();
    CHECK(size_violation(rules::group, b.size()));
    const GroupTable t = decode_group(b);
    CHECK(t.records.size() == 1);
    CHECK(t.trailing.size() == 50);
    CHECK(encode_group(t) == b);

    // Shorter than the header.
    const Bytes tiny{0, 0};
    CHECK(size_violation(rules::group, tiny.size()));
    const GroupTable u = decode_group(tiny);
    CHECK(u.header.size() == 2);
    CHECK(u.records.empty());
    CHECK(encode_group(u) == tiny);
    CHECK(decode_group(Bytes{}).header.empty());
}

TEST_CASE("decode_group: absurd sizes", "[group]") {
    // A wrong size: bytes over the last whole record are kept as trailing.
    Bytes b = good_file();
    b.insert(b.end(), 7, 0xEE);
    CHECK(size_violation(rules::group, b.size()));
    GroupTable t = decode_group(b);
    CHECK(t.records.size() == 2);
    CHECK(t.trailing == Bytes(7, 0xEE));
    CHECK(encode_group(t) == b);

    // A million records decode and encode unchanged.
    Bytes big(4 + 1'000'000 * GroupRecord::size, 0);
    big[4 + 999'999 * GroupRecord::size + GroupRecord::kType] = 4;
    CHECK_FALSE(size_violation(rules::group, big.size()));
    t = decode_group(big);
    REQUIRE(t.records.size() == 1'000'000);
    CHECK(t.records.back().type() == 4);
    CHECK(encode_group(t) == big);

    CHECK(size_violation(rules::group, 3'000'000'000ull));
}

TEST_CASE("decode_group: round trip keeps unknown bytes", "[group]") {
    const Bytes original = random_bytes(4 + 20 * GroupRecord::size + 9, 42);
    GroupTable t = decode_group(original);
    REQUIRE(t.records.size() == 20);
    for (auto& r : t.records) {
        r.set_tid(r.tid());
        r.set_type(r.type());
        r.set_grp_offset(r.grp_offset());
    }
    CHECK(encode_group(t) == original);

    // Setting the alias touches the alias field only.
    GroupRecord r = t.records[0];
    r.set_alias("New");
    for (std::size_t i = 0; i < GroupRecord::size; ++i)
        if (i < GroupRecord::kAlias || i >= GroupRecord::kAlias + GroupRecord::kAliasWidth)
            CHECK(r.raw[i] == t.records[0].raw[i]);
}
